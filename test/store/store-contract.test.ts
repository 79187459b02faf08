/**
 * One store contract, run against both stores: the SQLite file and the PostgreSQL team store
 * (a real server, started by the global setup; each test gets its own database). Every call is
 * awaited, so the same assertions hold for synchronous and asynchronous answers.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { openPostgresStore } from '../../src-proxy/store/postgres/pg-store.ts';
import { createTeamKeyCipher } from '../../src-proxy/store/secret-cipher.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';
import { historyRecord, tempDir } from './helpers.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

interface Opened {
  store: Store;
  /** Every stored key ciphertext, read straight from the table (after the store's writes are done). */
  keyCiphertexts(): Promise<Buffer[]>;
}

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

const FACTORIES: Array<[string, () => Promise<Opened>]> = [
  [
    'sqlite',
    async () => {
      const dataDir = tempDir();
      const store = openStore({ dataDir });
      closers.push(() => store.close());
      return {
        store,
        async keyCiphertexts() {
          const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
          try {
            return (db.prepare('SELECT ciphertext FROM provider_keys').all() as Array<{ ciphertext: Buffer }>).map((row) => row.ciphertext);
          } finally {
            db.close();
          }
        },
      };
    },
  ],
  [
    'postgres',
    async () => {
      const url = await createTestDatabase(inject('postgresUrl'));
      const store = await openPostgresStore({ url, cipher: createTeamKeyCipher(randomBytes(32)) });
      closers.push(() => store.close());
      return {
        store,
        async keyCiphertexts() {
          await store.sync?.();
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            return (await client.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM provider_keys')).rows.map((row) => row.ciphertext);
          } finally {
            await client.end();
          }
        },
      };
    },
  ],
];

describe.each(FACTORIES)('store contract: %s', (kind, open) => {
  it('names its kind', async () => {
    const { store } = await open();
    expect(store.kind).toBe(kind);
  });

  it('creates, updates, renames and deletes providers, keys and aliases', async () => {
    const { store } = await open();
    store.providers.create({ id: 'or', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', name: 'OpenRouter', headers: { 'X-Title': 'Switchboard' } });
    expect(() => store.providers.create({ id: 'or', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' })).toThrow(expect.objectContaining({ code: 'already_exists' }));
    const key = store.keys.add('or', 'sk-or-0123456789abcdef', 'main');
    expect(key).toMatchObject({ providerId: 'or', label: 'main', enabled: true });
    expect(JSON.stringify(store.keys.list('or'))).not.toContain('0123456789abcdef');
    expect(store.keys.secretsFor('or')[0]!.reveal()).toBe('sk-or-0123456789abcdef');
    store.aliases.create({ alias: 'coder', targets: [{ provider: 'or', model: 'qwen' }] });
    store.providers.update('or', { name: 'Router' });
    expect(store.providers.get('or')?.name).toBe('Router');
    store.aliases.update('coder', { newAlias: 'dev' });
    expect(store.aliases.list().map((alias) => alias.alias)).toEqual(['dev']);
    await store.sync?.();
    expect(store.providers.delete('or')).toBe(true);
    expect(store.keys.list()).toEqual([]);
    await store.sync?.();
    expect(store.providers.list()).toEqual([]);
  });

  it('keeps key secrets encrypted at rest: the table holds ciphertext, never the key', async () => {
    const { store, keyCiphertexts } = await open();
    store.providers.create({ id: 'oa', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    store.keys.add('oa', 'sk-proj-secret-value-123456');
    const blobs = await keyCiphertexts();
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!.toString('latin1')).not.toContain('secret-value');
    expect(store.cipher.decrypt(blobs[0]!)).toBe('sk-proj-secret-value-123456');
  });

  it('verifies client tokens, masks them and forgets revoked ones', async () => {
    const { store } = await open();
    const created = store.clientTokens.create('laptop');
    expect(store.clientTokens.verify(created.token)?.name).toBe('laptop');
    expect(JSON.stringify(store.clientTokens.list())).not.toContain(created.token);
    expect(store.clientTokens.revoke(created.id)).toBe(true);
    expect(store.clientTokens.verify(created.token)).toBeNull();
  });

  it('keeps settings, prices and app secrets', async () => {
    const { store } = await open();
    expect(store.prices.list().length).toBeGreaterThan(10);
    store.settings.update({ historyRetentionDays: 7 });
    expect(store.settings.get().historyRetentionDays).toBe(7);
    store.prices.set({ model: 'my-model', inputPerMillion: 1, outputPerMillion: 2 });
    expect(store.prices.list().find((price) => price.model === 'my-model')).toEqual({ model: 'my-model', inputPerMillion: 1, outputPerMillion: 2 });
    store.appState.setSecret('adminToken', 'sb-admin-xyz');
    expect(store.appState.getSecret('adminToken')).toBe('sb-admin-xyz');
    store.appState.set('configFile', '/etc/switchboard.yaml');
    expect(store.appState.get('configFile')).toBe('/etc/switchboard.yaml');
  });

  it('stores history with bodies, pages newest first without skipping rows that share a time, and searches', async () => {
    const { store } = await open();
    const records = Array.from({ length: 25 }, (_, i) => historyRecord({ id: `r${String(i).padStart(2, '0')}`, startedAt: T0 + Math.floor(i / 3) * 1000 }));
    records[4] = { ...records[4]!, bodies: { clientRequest: 'please refactor the FooBarService class', upstreamRequest: null, response: '{"ok":true}' } };
    records[7] = { ...records[7]!, status: 502, errorCode: 'upstream_error', errorMessage: 'Connection reset by peer' };
    await store.history.insertBatch(records);
    const seen: string[] = [];
    let before: { startedAt: number; id: string } | undefined;
    for (;;) {
      const page = await store.history.query({ limit: 10, ...(before ? { before } : {}) });
      expect(page.total).toBe(25);
      seen.push(...page.rows.map((row) => row.id));
      if (!page.next) break;
      before = page.next;
    }
    const expected = [...records].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    expect(seen).toEqual(expected);
    expect((await store.history.latest(3)).map((row) => row.id)).toEqual(expected.slice(0, 3));
    expect(await store.history.get('r04')).toMatchObject({ bodies: { clientRequest: 'please refactor the FooBarService class', response: '{"ok":true}' } });
    expect(await store.history.get('missing')).toBeNull();
    const search = async (text: string) => (await store.history.query({ search: text })).rows.map((row) => row.id);
    expect(await search('foobarservice')).toEqual(['r04']);
    expect(await search('reset by')).toEqual(['r07']);
    expect((await store.history.query({ status: 'error' })).rows.map((row) => row.id)).toEqual(['r07']);
    expect(await store.history.prune(T0 + 3000)).toBe(9);
    expect((await store.history.query({})).total).toBe(16);
  });

  it("keeps each attempt's upstream protocol, and reads rows recorded without it", async () => {
    const { store } = await open();
    const tried = [
      { provider: 'busy', model: 'm', keyLabel: 'Key 1', status: 503, errorCode: 'upstream_error', durationMs: 40, protocol: 'h2' as const },
      { provider: 'old', model: 'm', keyLabel: null, status: 200, errorCode: null, durationMs: 900, protocol: 'http/1.1' as const },
    ];
    await store.history.insertBatch([historyRecord({ id: 'with-protocol', startedAt: T0, attempts: tried }), historyRecord({ id: 'older', startedAt: T0 - 1000 })]);
    expect((await store.history.get('with-protocol'))?.attempts).toEqual(tried);
    expect((await store.history.query({})).rows.find((row) => row.id === 'with-protocol')?.attempts).toEqual(tried);
    const older = await store.history.get('older');
    expect(older?.attempts).toHaveLength(1);
    expect(older?.attempts[0]).not.toHaveProperty('protocol');
  });

  it('rolls usage up into day and hour buckets that survive clearing, and lists sessions', async () => {
    const { store } = await open();
    const day2 = T0 + DAY;
    await store.history.insertBatch([
      historyRecord({ startedAt: T0, upstreamModel: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 100_000, sessionId: 's1' }),
      historyRecord({ startedAt: T0 + 1000, upstreamModel: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 100_000, status: 500, errorCode: 'upstream_error', sessionId: 's1' }),
      historyRecord({ startedAt: day2, provider: 'local', upstreamModel: 'llama3', client: 'cli', inputTokens: 10, outputTokens: 20 }),
    ]);
    const prices = [{ model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 }];
    const report = await store.history.usage({ from: T0, to: day2, groupBy: 'upstream' }, prices);
    expect(report.buckets).toEqual([
      { period: '2025-06-01', key: 'openrouter/gpt-4o', requests: 2, errors: 1, inputTokens: 2_000_000, outputTokens: 200_000, costUsd: 7 },
      { period: '2025-06-02', key: 'local/llama3', requests: 1, errors: 0, inputTokens: 10, outputTokens: 20, costUsd: null },
    ]);
    const hourly = await store.history.usage({ from: T0, to: T0 + 3_600_000, groupBy: 'client', bucket: 'hour' }, prices);
    expect(hourly.buckets.map((b) => [b.period, b.key, b.requests])).toEqual([['2025-06-01T12', 'my-ide', 2]]);
    const sessions = await store.history.sessions({});
    expect(sessions).toMatchObject([{ session: 's1', requests: 2, errors: 1, inputTokens: 2_000_000 }]);
    const performance = await store.history.performance({ from: T0, to: day2, groupBy: 'provider' }, prices);
    expect(performance.groups.map((group) => group.key).sort()).toEqual(['local', 'openrouter']);
    await store.history.clear();
    expect((await store.history.query({})).total).toBe(0);
    expect((await store.history.usage({ from: T0, to: day2, groupBy: 'upstream' }, prices)).totals.requests).toBe(3);
  });

  it('counts requests and errors since a moment', async () => {
    const { store } = await open();
    await store.history.insertBatch([historyRecord({ startedAt: T0 }), historyRecord({ startedAt: T0, status: 500, errorCode: 'upstream_error' }), historyRecord({ startedAt: T0 - DAY })]);
    // The team store answers from a count it refreshes in the background: poll, bounded.
    await expect.poll(() => store.history.countSince(T0), { timeout: 5000 }).toEqual({ requests: 2, errors: 1 });
  });

  it('adds spend per client and period', async () => {
    const { store } = await open();
    const totals = { requests: 1, inputTokens: 10, outputTokens: 5, costUsd: 0.25, unpricedRequests: 0 };
    store.clientSpend.add([{ client: 'token:a', period: '2025-06-01', totals }]);
    store.clientSpend.add([{ client: 'token:a', period: '2025-06-01', totals }]);
    expect(store.clientSpend.read('token:a', ['2025-06-01', 'life'])).toEqual([
      { requests: 2, inputTokens: 20, outputTokens: 10, costUsd: 0.5, unpricedRequests: 0 },
      { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedRequests: 0 },
    ]);
    await store.sync?.();
  });

  it('keeps Responses for their owner only', async () => {
    const { store } = await open();
    await store.responses.save({ id: 'resp_1', owner: 'token:a', previousResponseId: null, createdAt: T0, input: [{ role: 'user', content: 'hi' }], response: { id: 'resp_1', output: [] } });
    expect((await store.responses.get('resp_1', 'token:a'))?.input).toEqual([{ role: 'user', content: 'hi' }]);
    expect(await store.responses.get('resp_1', 'token:b')).toBeNull();
    // A response handed over as its JSON text (the stream encoder's) reads back as the object.
    await store.responses.save({ id: 'resp_2', owner: 'token:a', previousResponseId: 'resp_1', createdAt: T0, input: [], response: '{"id":"resp_2","output":[{"type":"message"}]}' });
    expect((await store.responses.get('resp_2', 'token:a'))?.response).toEqual({ id: 'resp_2', output: [{ type: 'message' }] });
    expect(await store.responses.isKept('resp_1')).toBe(true);
    expect(await store.responses.delete('resp_1', 'token:b')).toBe(false);
    expect(await store.responses.prune(T0 + 1)).toBe(2);
    expect(await store.responses.isKept('resp_1')).toBe(false);
  });

  it('keeps response cache entries with their last use, least recently used first', async () => {
    const { store } = await open();
    const row = (key: string, lastUsedAt: number) => ({ key, entry: `{"k":"${key}"}`, bytes: 10, createdAt: T0, expiresAt: T0 + DAY, lastUsedAt });
    store.responseCache.write({ puts: [row('a', T0 + 2), row('b', T0 + 1)], uses: [], deletes: [] });
    store.responseCache.write({ puts: [], uses: [{ key: 'b', at: T0 + 5 }], deletes: [] });
    expect(store.responseCache.index().map((entry) => entry.key)).toEqual(['a', 'b']);
    expect(store.responseCache.read('a')?.entry).toBe('{"k":"a"}');
    expect(store.responseCache.clear()).toBe(2);
  });
});
