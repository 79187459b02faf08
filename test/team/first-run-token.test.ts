/**
 * Compose's first run: both instances start at once on an empty team store. Exactly one creates
 * the first client token ("default") and prints it; the other finds it (one-time creation under an
 * advisory lock), and both serve with the one token.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runServeCommand, type ServeHandle } from '../../src-proxy/cli/serve-command.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';

describe('first run of a team: two instances starting together', () => {
  const running: ServeHandle[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const handle of running) await handle.shutdown();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('creates one default client token, not one per instance', async () => {
    const store = await createTestDatabase(inject('postgresUrl'), { prefix: 'firstrun' });
    const env = { SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('hex') };
    const start = async () => {
      let printed = '';
      const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-first-run-'));
      dirs.push(dataDir);
      const io = { stdout: { write: (text: string) => (printed += text) }, stderr: { write: (text: string) => (printed += text) }, env };
      const handle = await runServeCommand(['--store', store, '--port', '0', '--data-dir', dataDir, '--no-dashboard', '--log-format', 'json'], io);
      if (typeof handle === 'number') throw new Error(`serve exited with ${handle}:\n${printed}`);
      running.push(handle);
      return { handle, printed: () => printed };
    };
    const instances = await Promise.all([start(), start()]);

    const printedTokens = instances.map((instance) => /Client token \(first run[^:]*\): (\S+)/.exec(instance.printed())?.[1]).filter(Boolean);
    expect(printedTokens).toHaveLength(1);
    const client = new pg.Client({ connectionString: store });
    await client.connect();
    try {
      const rows = (await client.query<{ name: string }>('SELECT name FROM client_tokens WHERE revoked_at IS NULL')).rows;
      expect(rows.map((row) => row.name)).toEqual(['default']);
    } finally {
      await client.end();
    }
    // Each instance knows the one token (the second read it in, it did not make its own).
    for (const { handle } of instances) {
      expect(handle.gateway.store.clientTokens.list().filter((token) => token.revokedAt === null).map((token) => token.name)).toEqual(['default']);
    }
  }, 120_000);
});
