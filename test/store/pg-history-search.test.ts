/**
 * History search on the team store: migration 15 adds pg_trgm indexes on exactly the expressions
 * the search matches, so PostgreSQL answers a term from the indexes instead of reading every body;
 * a role that may not create the extension keeps the same search, unindexed. Real PostgreSQL
 * (the global setup's server), one database per test.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { buildPgSearchCondition } from '../../src-proxy/store/history-search.ts';
import { PG_MIGRATIONS } from '../../src-proxy/store/postgres/pg-migrations.ts';
import { openPostgresStore } from '../../src-proxy/store/postgres/pg-store.ts';
import { createTeamKeyCipher } from '../../src-proxy/store/secret-cipher.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';
import { historyRecord } from './helpers.ts';

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function seed(store: Store): Promise<void> {
  const records = Array.from({ length: 40 }, (_, i) => historyRecord({ id: `s${String(i).padStart(2, '0')}`, startedAt: T0 + i * 1000 }));
  records[3] = { ...records[3]!, bodies: { clientRequest: 'please refactor the FooBarService class', upstreamRequest: '{"model":"gpt-4o"}', response: '{"ok":true}' } };
  records[5] = { ...records[5]!, bodies: { clientRequest: 'hello', upstreamRequest: null, response: 'the answer is 100% sure_thing' } };
  records[9] = { ...records[9]!, status: 502, errorCode: 'upstream_error', errorMessage: 'Connection reset by peer' };
  records[12] = { ...records[12]!, requestedModel: 'claude-sonnet', upstreamModel: 'anthropic/claude-sonnet-4' };
  records[20] = { ...records[20]!, client: 'jetbrains-ai', bodies: { clientRequest: 'refactor this', upstreamRequest: null, response: null } };
  records[30] = { ...records[30]!, clientAddress: '10.20.30.40' };
  await store.history.insertBatch(records);
}

async function expectSearches(store: Store): Promise<void> {
  const search = async (text: string) => (await store.history.query({ search: text })).rows.map((row) => row.id).sort();
  expect(await search('foobarservice')).toEqual(['s03']);
  expect(await search('REFACTOR')).toEqual(['s03', 's20']);
  expect(await search('refactor jetbrains')).toEqual(['s20']);
  expect(await search('reset by')).toEqual(['s09']);
  expect(await search('sonnet-4')).toEqual(['s12']);
  // LIKE's wildcards are the text itself; a term under 3 characters still matches (scanned).
  expect(await search('100%')).toEqual(['s05']);
  expect(await search('e_t')).toEqual(['s05']);
  expect(await search('%')).toEqual(['s05']);
  expect(await search('nothing-like-this')).toEqual([]);
  // Which machine sent it (a team server's history): stored, shown and searched.
  expect(await search('10.20.30')).toEqual(['s30']);
  expect((await store.history.get('s30'))?.clientAddress).toBe('10.20.30.40');
  expect((await store.history.get('s29'))?.clientAddress).toBeNull();
  expect((await store.history.query({ search: 'refactor', limit: 1 })).total).toBe(2);
}

describe('history search on PostgreSQL', () => {
  it('answers from trigram indexes on the expressions it matches, with the same results', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const store = await openPostgresStore({ url, cipher: createTeamKeyCipher(randomBytes(32)) });
    closers.push(() => store.close());
    const indexes = await query<{ indexname: string; indexdef: string }>(url, "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'history_%_search' ORDER BY indexname");
    expect(indexes.map((index) => index.indexname)).toEqual(['history_bodies_search', 'history_names_search']);
    expect(indexes.every((index) => index.indexdef.includes('gin_trgm_ops'))).toBe(true);
    await seed(store);
    await expectSearches(store);

    // The planner uses both indexes for a term (seq scans priced out, so the plan shows whether
    // the indexes fit the expressions at all).
    const condition = buildPgSearchCondition('foobarservice')!;
    let n = 0;
    const sql = `SELECT h.id FROM history h WHERE ${condition.sql.replace(/\?/g, () => `$${++n}`)}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    closers.push(() => client.end());
    await client.query('SET enable_seqscan = off');
    const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, condition.params)).rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('history_bodies_search');
    expect(plan).toContain('history_names_search');
    expect((await client.query<{ id: string }>(sql, condition.params)).rows.map((row) => row.id)).toEqual(['s03']);
  });

  it('migrates and searches alike for a role that may not create the extension (no indexes)', async () => {
    const server = inject('postgresUrl');
    const name = `sb_plain_${randomBytes(4).toString('hex')}`;
    const role = `${name}_role`;
    const password = randomBytes(12).toString('hex');
    // A database owned by the superuser; the role may connect and create tables in public, not extensions.
    await query(server, `CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    const url = await createTestDatabase(server, { name });
    await query(url, `GRANT CONNECT ON DATABASE ${name} TO ${role}`);
    await query(url, `GRANT USAGE, CREATE ON SCHEMA public TO ${role}`);
    const asRole = new URL(url);
    asRole.username = role;
    asRole.password = password;
    const store = await openPostgresStore({ url: asRole.toString(), cipher: createTeamKeyCipher(randomBytes(32)) });
    closers.push(() => store.close());
    expect(await query(url, "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")).toEqual([]);
    expect(await query(url, "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'history_%_search'")).toEqual([]);
    // Every migration ran (those after 15 too), only pg_trgm's indexes were left out.
    expect((await query<{ version: string }>(url, 'SELECT max(version) AS version FROM schema_migrations'))[0]!.version).toBe(String(PG_MIGRATIONS.at(-1)!.version));
    await seed(store);
    await expectSearches(store);
  });
});
