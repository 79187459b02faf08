// @vitest-environment node
/**
 * `switchboard` loads its bundle through V8's code cache (bin/load-engine.js; issue 18, start
 * time): the first run of a command writes the cache, later runs with the same Node flags take
 * it, and a cache V8 refuses (another build, version or flags, or a damaged file) costs only the
 * compile and is written anew. Runs the real command with `serve`'s flags, in fresh processes.
 * An app folder the server cannot write (the Docker image) gets its cache from a warm-up at
 * install time (scripts/warm-code-cache.mjs), run here on a copy the way the Dockerfile runs it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'switchboard.js');
const probeScript = join(root, 'test', 'fixtures', 'code-cache-probe.mjs');
const flags = readFileSync(bin, 'utf8').split('\n', 1)[0]!.replace('#!/usr/bin/env -S node', '').trim().split(/\s+/);
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

const node = (args: string[]) => execFileSync(process.execPath, [...flags, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
const probe = () => JSON.parse(node([probeScript, 'version']).trim()) as { cached: boolean; path: string };

describe('code cache of the command line', () => {
  it('a run writes the cache and the next run with the same flags takes it', () => {
    expect(node([bin, 'version'])).toContain(version);
    expect(probe().cached).toBe(true);
  });

  it('a cache V8 refuses still runs the command, and the run writes a good one', () => {
    const { path } = probe();
    writeFileSync(path, Buffer.alloc(4096, 7));
    expect(probe().cached).toBe(false);
    expect(node([bin, 'version'])).toContain(version);
    expect(probe().cached).toBe(true);
  });

  it('the warm-up the Docker image runs writes the cache a later `serve` start takes', () => {
    // A copy of the installed app (the image's /app: bin, the built engine, node_modules), so the
    // check owns its cache files; the build's mtime is kept, as it is part of the key.
    const app = mkdtempSync(join(tmpdir(), 'switchboard-warm-test-'));
    try {
      cpSync(join(root, 'bin'), join(app, 'bin'), { recursive: true });
      mkdirSync(join(app, 'dist', 'proxy'), { recursive: true });
      cpSync(join(root, 'dist', 'proxy', 'cli.cjs'), join(app, 'dist', 'proxy', 'cli.cjs'), { preserveTimestamps: true });
      cpSync(join(root, 'package.json'), join(app, 'package.json'));
      symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir');
      const out = execFileSync(process.execPath, [join(root, 'scripts', 'warm-code-cache.mjs'), app], { encoding: 'utf8', timeout: 120_000 });
      const written = readdirSync(join(app, 'dist', 'proxy')).filter((name) => name.endsWith('.v8cache'));
      expect(written).toHaveLength(1);
      expect(out).toContain(written[0]);
      // What `switchboard serve` (the image's entry point: the same flags) compiles with next.
      cpSync(probeScript, join(app, 'test', 'fixtures', 'code-cache-probe.mjs'));
      const taken = JSON.parse(node([join(app, 'test', 'fixtures', 'code-cache-probe.mjs'), 'serve']).trim()) as { cached: boolean; path: string };
      expect(taken).toEqual({ cached: true, path: join(app, 'dist', 'proxy', written[0]!) });
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  it('the Docker image runs the warm-up over its installed app, before it drops root', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const at = (text: string) => {
      expect(runtime).toContain(text);
      return runtime.indexOf(text);
    };
    const warm = at('RUN node /tmp/warm-code-cache.mjs /app');
    expect(warm).toBeGreaterThan(at('/app/dist/proxy ./dist/proxy'));
    expect(warm).toBeGreaterThan(at('/app/node_modules ./node_modules'));
    expect(warm).toBeLessThan(at('\nUSER node'));
    expect(runtime).toContain('COPY --from=build /app/scripts/warm-code-cache.mjs /tmp/warm-code-cache.mjs');
  });
});
