import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src-proxy/cli/cli-io.ts';
import { resolveDataDir } from '../../src-proxy/cli/data-dir.ts';
import { runExportCommand } from '../../src-proxy/cli/export-command.ts';
import { applyConfig } from '../../src-proxy/config/apply-config.ts';
import { parseConfig } from '../../src-proxy/config/schema.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { tempDir } from '../store/helpers.ts';
import { createProviderCatalog } from '../../src-proxy/providers/registry.ts';

const PROVIDERS = createProviderCatalog();

const KEY = 'sk-export-CANARY-0123456789';

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, env: {}, out: () => out, err: () => err };
}

function seededDataDir(): string {
  const dataDir = tempDir();
  const store = openStore({ dataDir });
  applyConfig(store, parseConfig({ providers: [{ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', keys: [KEY] }] }), { mode: 'merge', providers: PROVIDERS });
  store.close();
  return dataDir;
}

describe('switchboard export', () => {
  it('prints the config without secrets by default', () => {
    const io = capture();
    expect(runExportCommand(['--data-dir', seededDataDir()], io)).toBe(0);
    expect(JSON.parse(io.out()).providers[0]).toMatchObject({ id: 'openai' });
    expect(io.out()).not.toContain(KEY);
  });

  it('writes secrets to a 0600 file with --include-secrets --out', () => {
    const out = join(tempDir(), 'export.json');
    const io = capture();
    expect(runExportCommand(['--data-dir', seededDataDir(), '--include-secrets', '--out', out], io)).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).providers[0].keys).toEqual([KEY]);
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(io.err()).toContain('plain text');
  });

  it('rejects unknown flags with exit code 2', () => {
    const io = capture();
    expect(runExportCommand(['--secrets'], io)).toBe(2);
    expect(io.err()).toContain('Usage: switchboard export');
  });
});

describe('resolveDataDir', () => {
  it.each([
    ['the flag first', { flag: '/flag', env: { SWITCHBOARD_DATA_DIR: '/env' } }, '/flag'],
    ['then SWITCHBOARD_DATA_DIR', { env: { SWITCHBOARD_DATA_DIR: '/env' } }, '/env'],
    ['Linux XDG_CONFIG_HOME', { env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux' as const, home: '/home/u' }, join('/xdg', 'Switchboard')],
    ['Linux ~/.config', { env: {}, platform: 'linux' as const, home: '/home/u' }, join('/home/u', '.config', 'Switchboard')],
    ['macOS Application Support', { env: {}, platform: 'darwin' as const, home: '/Users/u' }, join('/Users/u', 'Library', 'Application Support', 'Switchboard')],
    ['Windows %APPDATA%', { env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, platform: 'win32' as const, home: 'C:\\Users\\u' }, join('C:\\Users\\u\\AppData\\Roaming', 'Switchboard')],
  ])('uses %s', (_what, context, expected) => {
    expect(resolveDataDir(context)).toBe(expected);
  });
});
