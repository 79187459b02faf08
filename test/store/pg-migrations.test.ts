import Database from 'better-sqlite3';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { MIGRATIONS, runMigrations } from '../../src-proxy/store/migrations.ts';
import { PG_MIGRATIONS } from '../../src-proxy/store/postgres/pg-migrations.ts';
import { readMigrationState, runPgMigrations } from '../../src-proxy/store/postgres/pg-migrate.ts';
import { createPgPool, storeError } from '../../src-proxy/store/postgres/pg-pool.ts';
import { DEFAULT_PRICES } from '../../src-proxy/store/default-prices.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';
import type pg from 'pg';

const pools: pg.Pool[] = [];
function pool(url: string): pg.Pool {
  const created = createPgPool(url, { max: 3 });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

describe('PostgreSQL migrations', () => {
  it('has one entry per SQLite migration: the same numbers and names', () => {
    expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
  });

  it('gives every table the same columns as SQLite (the mirror copies rows by column name)', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const p = pool(url);
    await runPgMigrations(p);
    const sqlite = new Database(':memory:');
    runMigrations(sqlite);
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'history_fts%'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      const sqliteColumns = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name).sort();
      const pgColumns = (await p.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1', [table])).rows.map((c) => c.column_name).sort();
      expect(pgColumns, table).toEqual(sqliteColumns);
    }
    sqlite.close();
  });

  it('applies each migration exactly once when three instances start together on one empty database', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const results = await Promise.all([pool(url), pool(url), pool(url)].map((p) => runPgMigrations(p)));
    const applied = results.flatMap((r) => r.applied).sort((a, b) => a - b);
    expect(applied).toEqual(PG_MIGRATIONS.map((m) => m.version));
    // Exactly one instance did the work; the others waited on the advisory lock and found nothing to do.
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    const p = pools[0]!;
    const rows = (await p.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows;
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    const prices = await p.query<{ n: number }>('SELECT count(*) AS n FROM prices');
    expect(prices.rows[0]!.n).toBe(DEFAULT_PRICES.length);
    expect(await readMigrationState(p)).toEqual({ current: PG_MIGRATIONS.length, latest: PG_MIGRATIONS.length, pending: 0 });
    // A later start applies nothing.
    expect((await runPgMigrations(p)).applied).toEqual([]);
  });

  it('refuses a store migrated by a newer version, naming the migration', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const p = pool(url);
    await runPgMigrations(p);
    await p.query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'from-the-future', 'x', 0)");
    const error = await runPgMigrations(p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('store_schema_mismatch');
    expect((error as GatewayError).message).toContain('999 (from-the-future)');
  });

  it('reports an unreachable server as store_unreachable without the password', async () => {
    const server = new URL(inject('postgresUrl'));
    server.password = 'hunter2-very-secret';
    const p = pool(server.toString());
    const error = storeError(server.toString(), await p.query('SELECT 1').catch((e: unknown) => e));
    expect(error.code).toBe('store_unreachable');
    expect(error.message).not.toContain('hunter2-very-secret');
    expect(error.message).toContain('***');
  });
});
