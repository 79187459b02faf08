// @vitest-environment node
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { electronUnavailableReason, type ElectronFacts } from '../../scripts/desktop-launch-check.mjs';
import { FLOORS, importCycles, placementOf, readImportGraph, unplacedFiles, wrongWayImports, type Floor } from './import-floors.ts';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('the engine stays Electron-free', () => {
  it('no file under src-proxy imports electron', () => {
    const offenders = filesUnder('src-proxy')
      .filter((file) => /\.(ts|tsx|js|mjs|cjs)$/.test(file))
      .filter((file) => /(from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron(\/[^'"]*)?['"]/.test(fs.readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('imports point down the floors (test/main/import-floors.ts)', () => {
  const graph = readImportGraph(['src-proxy', 'src-main', 'src-renderer']);

  it('every engine and shell file has a floor', () => {
    expect(unplacedFiles(graph)).toEqual([]);
  });

  it('no import goes up a floor, across spokes or roots, or around the renderer\'s control client', () => {
    expect(wrongWayImports(graph)).toEqual([]);
  });

  it('no import cycle, type-only imports included', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('a provider folder importing the request path is refused, though its floor is higher', () => {
    const found = wrongWayImports(new Map([['src-proxy/providers/x/adapter.ts', ['src-proxy/routing/router.ts']], ['src-proxy/routing/router.ts', []]]));
    expect(found).toEqual([expect.stringContaining('a provider imports only foundations and ground')]);
  });

  it('reads the imports it is meant to police (the graph is not empty by accident)', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('src-proxy/server.ts')).toContain('src-proxy/dialects/registry.ts');
    expect(placementOf('src-proxy/dialects/openai/routes.ts')).toEqual({ floor: 3, member: 'src-proxy/dialects/openai/' });
    expect(FLOORS[placementOf('src-proxy/domain/settings.ts')!.floor]!.name).toMatch(/^ground/);
  });
});

describe('the floors checker itself', () => {
  const floors: Floor[] = [
    { name: 'low', paths: ['src-proxy/low/'] },
    { name: 'spokes', paths: ['src-proxy/spokes/*/'], isolated: true },
    { name: 'top', paths: ['src-proxy/top.ts'] },
  ];

  it.each<[string, Record<string, string[]>, string[]]>([
    ['a downward import passes', { 'src-proxy/top.ts': ['src-proxy/low/a.ts'], 'src-proxy/low/a.ts': [] }, []],
    ['an upward import fails', { 'src-proxy/low/a.ts': ['src-proxy/top.ts'], 'src-proxy/top.ts': [] }, ['src-proxy/low/a.ts → src-proxy/top.ts']],
    ['a spoke importing its own folder passes', { 'src-proxy/spokes/x/a.ts': ['src-proxy/spokes/x/b.ts'], 'src-proxy/spokes/x/b.ts': [] }, []],
    ['a spoke importing another spoke fails', { 'src-proxy/spokes/x/a.ts': ['src-proxy/spokes/y/b.ts'], 'src-proxy/spokes/y/b.ts': [] }, ['src-proxy/spokes/x/a.ts → src-proxy/spokes/y/b.ts']],
    ['the renderer importing engine internals fails', { 'src-renderer/a.ts': ['src-proxy/low/a.ts'], 'src-proxy/low/a.ts': [] }, ['src-renderer/a.ts → src-proxy/low/a.ts']],
    ['the renderer importing the shell beyond its IPC contract fails', { 'src-renderer/a.ts': ['src-main/ipc/channels.ts', 'src-main/main.ts'], 'src-main/ipc/channels.ts': [], 'src-main/main.ts': [] }, ['src-renderer/a.ts → src-main/main.ts']],
  ])('%s', (_name, edges, expected) => {
    const found = wrongWayImports(new Map(Object.entries(edges)), floors).map((line) => line.split(' (')[0]);
    expect(found).toEqual(expected);
  });

  it('finds a two-file cycle and a longer one, not a diamond', () => {
    const cycles = importCycles(
      new Map(
        Object.entries({
          a: ['b'],
          b: ['a'],
          c: ['d'],
          d: ['e'],
          e: ['c'],
          top: ['left', 'right'],
          left: ['bottom'],
          right: ['bottom'],
          bottom: [],
        }),
      ),
    );
    expect(cycles).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  });

  it('a file outside every floor is reported', () => {
    expect(unplacedFiles(new Map([['src-proxy/stray.ts', []]]), floors)).toEqual(['src-proxy/stray.ts']);
  });
});

describe('electron-builder.yml', () => {
  const config = parse(fs.readFileSync('electron-builder.yml', 'utf8')) as Record<string, any>;

  it('names the app and builds the promised targets', () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.productName).toBe('Switchboard');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.deb.depends).toContain('libsecret-1-0');
    expect(config.mac.target).toEqual(expect.arrayContaining(['dmg', 'zip']));
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
    expect(config.win.target).toEqual(expect.arrayContaining(['nsis']));
  });

  it('unpacks better-sqlite3 from the asar, rebuilds it only at packaging, and drops node_gyp_bins', () => {
    expect(config.asarUnpack.some((glob: string) => glob.includes('better-sqlite3'))).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    expect(config.files.some((glob: string) => glob.startsWith('!') && glob.includes('node_gyp_bins'))).toBe(true);
  });

  it('locks the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('points at icon files that exist', () => {
    const icons = [config.linux.icon, config.mac.icon, config.win.icon, config.nsis.installerIcon, config.nsis.uninstallerIcon];
    for (const icon of icons) expect(fs.existsSync(icon), icon).toBe(true);
    for (const size of [16, 32, 48, 128, 256, 512]) expect(fs.existsSync(path.join(config.linux.icon, `${size}x${size}.png`))).toBe(true);
    expect(fs.readFileSync(config.mac.icon).subarray(0, 4).toString()).toBe('icns');
    expect([...fs.readFileSync(config.win.icon).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
  });

  it('packages the app icon and tray icons main.ts loads at run time', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/main/**', 'dist/renderer/**', 'assets/tray/**']));
  });
});

describe('npm start without Electron', () => {
  const base: ElectronFacts = { platform: 'linux', env: { DISPLAY: ':0' }, binaryPath: '/e/electron', binaryExists: true, downloadError: null };
  it.each<[string, Partial<ElectronFacts>, RegExp | null]>([
    ['a working setup', {}, null],
    ['no binary, download blocked', { binaryPath: null, binaryExists: false, downloadError: 'TypeError: fetch failed' }, /not installed and could not be downloaded: TypeError: fetch failed/],
    ['a binary path that vanished', { binaryExists: false }, /not installed/],
    ['Linux without a display', { env: {} }, /no display/],
    ['Linux on Wayland', { env: { WAYLAND_DISPLAY: 'wayland-0' } }, null],
    ['macOS needs no DISPLAY', { platform: 'darwin', env: {} }, null],
  ])('%s', (_name, facts, expected) => {
    const reason = electronUnavailableReason({ ...base, ...facts });
    if (expected) expect(reason).toMatch(expected);
    else expect(reason).toBeNull();
  });
});

describe('main and preload', () => {
  it('type-check against Electron\'s own typings', () => {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.main.json'], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it('bundle: the sandboxed preload is CommonJS and requires nothing but electron', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-build-'));
    try {
      const { default: buildDesktop } = await import('../../scripts/build-desktop.mjs');
      await buildDesktop({ quiet: true, outdir });
      const preload = fs.readFileSync(path.join(outdir, 'preload.cjs'), 'utf8');
      expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1])).toEqual(['electron']);
      expect(preload).toContain('exposeInMainWorld');
      const main = fs.readFileSync(path.join(outdir, 'main.js'), 'utf8');
      expect(main).toMatch(/from ["']electron["']/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
