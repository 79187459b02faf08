/**
 * The team store's write-through on the request path: usage-only writes (a key's last use) cost a
 * Set add and reach PostgreSQL within the background interval even while writes keep coming (a
 * debounce that restarts on each write would never fire under load), and configuration writes
 * reach another store on the same database through LISTEN/NOTIFY. History batches are written a
 * few hundred rows per statement, and a replayed batch adds no row or body twice.
 */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { wireSqliteStore } from '../../src-proxy/store/create-store.ts';
import { createTableMirror } from '../../src-proxy/store/postgres/pg-mirror.ts';
import { openPostgresStore } from '../../src-proxy/store/postgres/pg-store.ts';
import { createTeamKeyCipher } from '../../src-proxy/store/secret-cipher.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';
import { historyRecord } from './helpers.ts';

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describe('PostgreSQL store writes', () => {
  it('writes a key\'s last use within the background interval while uses keep coming', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const store = await openPostgresStore({ url, cipher: createTeamKeyCipher(randomBytes(32)), backgroundPushMs: 200 });
    opened.push(store);
    store.providers.create({ id: 'oa', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    const key = store.keys.add('oa', 'sk-proj-0123456789abcdef');
    await store.sync!();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const lastUsed = async () => (await client.query<{ last_used_at: string | null }>('SELECT last_used_at FROM provider_keys WHERE id = $1', [key.id])).rows[0]?.last_used_at ?? null;
      let written: string | null = null;
      // A use every 20 ms, for up to 10 s: the write must land while they continue.
      for (let at = 1; at <= 500 && written === null; at++) {
        store.keys.recordUse(key.id, 1_700_000_000_000 + at);
        await new Promise((resolve) => setTimeout(resolve, 20));
        written = await lastUsed();
      }
      expect(written).not.toBeNull();
    } finally {
      await client.end();
    }
  });

  it('tells another store on the same database about a configuration change', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const cipher = createTeamKeyCipher(randomBytes(32));
    const a = await openPostgresStore({ url, cipher });
    const b = await openPostgresStore({ url, cipher });
    opened.push(a, b);
    let heard = 0;
    b.onRemoteChange!(() => heard++);
    a.aliases.create({ alias: 'coder', targets: [{ provider: 'x', model: 'y' }] });
    await a.sync!();
    await expect.poll(() => b.aliases.get('coder')?.targets, { timeout: 10_000 }).toMatchObject([{ provider: 'x', model: 'y' }]);
    expect(heard).toBeGreaterThan(0);
    // A usage-only write is not announced (no reload on every instance for each request).
    const before = heard;
    a.settings.get();
    expect(heard).toBe(before);
  });
});

describe('the team store\'s mirror merges, per column, with what it last saw', () => {
  it('keeps a row written here while a pull read an older snapshot, and pushes it after', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const cipher = createTeamKeyCipher(randomBytes(32));
    const seeded = await openPostgresStore({ url, cipher });
    await seeded.close();
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const local = wireSqliteStore({ db, path: ':memory:', cipher, now: Date.now });
    const mirror = createTableMirror(db);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await mirror.pull(client);
      // Written after the snapshot a pull reads (a control call while another instance's change comes in).
      local.clientTokens.create('alice', 'sb-alice-token-0123456789abcdef');
      await mirror.pull(client, ['client_tokens']);
      expect(local.clientTokens.list().map((token) => token.name)).toContain('alice');
      await mirror.push(client, ['client_tokens'], async () => undefined);
      const names = (await client.query<{ name: string }>('SELECT name FROM client_tokens')).rows.map((row) => row.name);
      expect(names).toContain('alice');
    } finally {
      await client.end();
      local.close();
    }
  });

  it('lets a key\'s last use written on A leave B\'s edit of the same key standing', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const cipher = createTeamKeyCipher(randomBytes(32));
    const a = await openPostgresStore({ url, cipher, backgroundPushMs: 60_000 });
    const b = await openPostgresStore({ url, cipher });
    opened.push(a, b);
    a.providers.create({ id: 'oa', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    const key = a.keys.add('oa', 'sk-proj-0123456789abcdef');
    await a.sync!();
    await expect.poll(() => b.keys.get(key.id)?.enabled, { timeout: 10_000 }).toBe(true);
    // A serves through the key (a usage write, pushed later); B disables it meanwhile.
    a.keys.recordUse(key.id, 1_700_000_000_000);
    b.keys.setEnabled(key.id, false);
    await b.sync!();
    await expect.poll(() => a.keys.get(key.id)?.enabled, { timeout: 10_000 }).toBe(false);
    await a.sync!();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const row = (await client.query<{ enabled: number; last_used_at: number }>('SELECT enabled, last_used_at FROM provider_keys WHERE id = $1', [key.id])).rows[0]!;
      expect(Number(row.enabled)).toBe(0);
      expect(Number(row.last_used_at)).toBe(1_700_000_000_000);
    } finally {
      await client.end();
    }
    expect(b.keys.get(key.id)?.enabled).toBe(false);
  });
});

describe('the team store\'s response cache', () => {
  it('reads only live entries, marks them used, and evicts the expired, then the least recently used, down to the bound', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const store = await openPostgresStore({ url, cipher: createTeamKeyCipher(randomBytes(32)) });
    opened.push(store);
    const cache = store.teamCache!;
    const row = (key: string, lastUsedAt: number, expiresAt = 10_000) => ({ key, entry: `{"k":"${key}"}`, bytes: 100, createdAt: 1, expiresAt, lastUsedAt });
    for (const entry of [row('old', 10), row('mid', 20), row('new', 30), row('gone', 40, 50)]) await cache.put(entry);
    expect(await cache.read('gone', 60)).toBeNull();
    // Reading "old" makes it the most recently used.
    expect((await cache.read('old', 70))?.entry).toBe('{"k":"old"}');
    expect(await cache.stats(60)).toEqual({ entries: 3, bytes: 300 });
    await cache.evict(80, 250);
    expect(await cache.read('mid', 90)).toBeNull();
    expect(await cache.read('new', 90)).not.toBeNull();
    expect(await cache.read('old', 90)).not.toBeNull();
    expect(await cache.clear()).toBe(2);
  });
});

describe('the team store\'s history batches', () => {
  it('writes a batch larger than one statement with each row\'s bodies, and a replayed batch adds nothing twice', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const store = await openPostgresStore({ url, cipher: createTeamKeyCipher(randomBytes(32)) });
    opened.push(store);
    // More rows than one INSERT carries (500), bodies on rows of the first and the last statement.
    const records = Array.from({ length: 1203 }, (_, i) => historyRecord({ id: `batch-${String(i).padStart(4, '0')}`, startedAt: T0 + i }));
    const withBody = (i: number) => (records[i] = { ...records[i]!, bodies: { clientRequest: `question ${i}`, upstreamRequest: null, response: `answer ${i}` } });
    for (const i of [3, 1202]) withBody(i);
    await store.history.insertBatch(records);
    // A journal replay: the last rows again (one of them with its bodies) and one new row.
    const replayed = [...records.slice(1190), historyRecord({ id: 'batch-new', startedAt: T0 + 5000 })];
    await store.history.insertBatch(replayed);
    expect((await store.history.query({})).total).toBe(1204);
    expect(await store.history.get('batch-0003')).toMatchObject({ bodies: { clientRequest: 'question 3', response: 'answer 3' } });
    expect(await store.history.get('batch-1202')).toMatchObject({ bodies: { clientRequest: 'question 1202', response: 'answer 1202' } });
    expect((await store.history.get('batch-0004'))?.bodies ?? null).toBeNull();
    expect((await store.history.latest(2)).map((row) => row.id)).toEqual(['batch-new', 'batch-1202']);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const counts = await client.query<{ rows: string; bodies: string }>('SELECT (SELECT count(*) FROM history) AS rows, (SELECT count(*) FROM history_bodies) AS bodies');
      expect(counts.rows[0]).toEqual({ rows: '1204', bodies: '2' });
    } finally {
      await client.end();
    }
  });
});
