import { describe, expect, it } from 'vitest';
import { main } from '../../src-proxy/cli.ts';
import type { CliIo } from '../../src-proxy/cli/cli-io.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { tempDir } from '../store/helpers.ts';

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (chunk: string) => (out += chunk) }, stderr: { write: (chunk: string) => (err += chunk) }, env: {}, out: () => out, err: () => err };
}

describe('switchboard cache', () => {
  it('prints the size of the cache and clears it', async () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir });
    const row = (key: string) => ({ key, entry: '{"answer":{}}', bytes: 1_048_576, createdAt: 1, expiresAt: 2, lastUsedAt: 1 });
    store.responseCache.write({ puts: [row('a'), row('b')], uses: [], deletes: [] });
    store.close();

    const stats = capture();
    expect(await main(['cache', 'stats', '--data-dir', dataDir], stats)).toBe(0);
    expect(stats.out()).toBe('2 cached answers, 2.0 MB of 256 MB.\n');

    const cleared = capture();
    expect(await main(['cache', 'clear', '--data-dir', dataDir], cleared)).toBe(0);
    expect(cleared.out()).toBe('Removed 2 cached answers.\n');
    const reopened = openStore({ dataDir });
    expect(reopened.responseCache.index()).toEqual([]);
    reopened.close();
  });

  it('says what it can do when the action is missing or unknown, and never creates a data folder', async () => {
    const io = capture();
    expect(await main(['cache'], io)).toBe(2);
    expect(io.err()).toMatch(/Usage: switchboard cache <clear\|stats>/);
    const missing = capture();
    expect(await main(['cache', 'clear', '--data-dir', `${tempDir()}/nowhere`], missing)).toBe(1);
    expect(missing.err()).toMatch(/No Switchboard data in/);
  });
});
