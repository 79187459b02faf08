// @vitest-environment node
/**
 * glibc's allocator controls (native/glibc-malloc.c, memory/native-memory.ts; issue 18, idle
 * RSS): the build makes the addon on glibc Linux and never fails without it; a gateway that sat
 * idle gives the memory freed inside glibc's arenas back, where one without the controls keeps
 * it; the Docker image and the desktop package carry the addon.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDON, buildNative } from '../../scripts/build-native.mjs';
import { GLIBC_MALLOC_ADDON, loadGlibcMalloc } from '../../src-proxy/memory/glibc-malloc.ts';

const root = join(import.meta.dirname, '..', '..');
const probe = join(root, 'test', 'fixtures', 'idle-trim-probe.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-native-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** RSS (MB) of a fresh process's gateway over 28 MB of arena holes: before its start, and idle 2.5 s after. */
function idleProbe(mode: 'addon' | 'none'): { before: number; idle: number } {
  const dataDir = mkdtempSync(join(scratch, `${mode}-`));
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', probe, dataDir, mode], { cwd: root, encoding: 'utf8', timeout: 30_000 })) as { before: number; idle: number };
}

describe.runIf(process.platform === 'linux')('glibc allocator controls', () => {
  it('the build made the addon where the engine looks for it, and it loads and answers', () => {
    expect(GLIBC_MALLOC_ADDON.endsWith(join('src-proxy', 'native', 'glibc-malloc.node'))).toBe(true); // from source; the bundles resolve dist/native
    const { malloc, reason } = loadGlibcMalloc(ADDON);
    expect(reason).toBeUndefined();
    expect(malloc!.setThresholds(2 * 1024 * 1024, 2 * 1024 * 1024)).toBe(true);
    expect(typeof malloc!.trim()).toBe('boolean');
    expect(() => malloc!.setThresholds(-1, 0)).toThrow(TypeError);
  });

  it('the bundles look for it in dist/native', () => {
    for (const bundle of ['index.js', 'cli.cjs']) {
      expect(readFileSync(join(root, 'dist', 'proxy', bundle), 'utf8')).toContain('../native/glibc-malloc.node');
    }
  });

  it('an idle gateway gives back the memory freed inside the arenas; without the controls it is kept', () => {
    const tuned = idleProbe('addon');
    const untuned = idleProbe('none');
    expect(tuned.before - tuned.idle, JSON.stringify(tuned)).toBeGreaterThan(15);
    expect(untuned.before - untuned.idle, JSON.stringify(untuned)).toBeLessThan(5);
  }, 60_000);

  it('without the addon file the engine says why and runs as before', () => {
    const { malloc, reason } = loadGlibcMalloc(join(scratch, 'absent.node'));
    expect(malloc).toBeNull();
    expect(reason).toContain('was not built');
  });

  it('a build without a C compiler, or with one that fails, makes no addon, says why and does not throw', () => {
    for (const [CC, said] of [[join(scratch, 'no-such-cc'), 'no C compiler'], ['false', 'false failed']] as const) {
      const addon = join(scratch, `out-${said.length}`, 'glibc-malloc.node');
      const lines: string[] = [];
      const result = buildNative({ env: { ...process.env, CC }, addon, out: (line) => lines.push(line) });
      expect(result.skipped).toContain(said);
      expect(existsSync(addon)).toBe(false);
      expect(lines.join('\n')).toContain('the engine runs without it');
    }
  });

  it('a build with a compiler makes an addon that loads', () => {
    const addon = join(scratch, 'built', 'glibc-malloc.node');
    const result = buildNative({ addon, out: () => {} });
    expect(result.built).toBe(addon);
    expect(loadGlibcMalloc(addon).malloc).not.toBeNull();
  });
});

describe('packaging carries the addon', () => {
  it('the Docker image copies dist/native beside the engine', () => {
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('COPY --from=build --chown=root:root /app/dist/native ./dist/native');
  });
  it('the desktop package includes it, unpacked from the asar', () => {
    const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { files: string[]; asarUnpack: string[] };
    expect(config.files).toContain('dist/native/**');
    expect(config.asarUnpack).toContain('dist/native/**');
  });
});
