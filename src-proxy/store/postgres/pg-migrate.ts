/**
 * Runs the PostgreSQL migrations once, even when several instances start together: the first
 * takes a session-level advisory lock, applies what is pending (each migration in its own
 * transaction) and seeds the built-in prices into a fresh store; the others wait on the lock and
 * then find nothing to do. Refuses (store_schema_mismatch) a store carrying a migration this
 * build does not know (a newer version migrated it) or one whose applied SQL was changed.
 */
import type pg from 'pg';
import { GatewayError } from '../../errors/codes.ts';
import { DEFAULT_PRICES } from '../default-prices.ts';
import { migrationChecksum, type Migration } from '../migrations.ts';
import { PG_MIGRATIONS } from './pg-migrations.ts';

/** The advisory lock's key: any constant of this application, the same on every instance. */
export const MIGRATION_LOCK_KEY = 0x5357_4254; // "SWBT"

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export interface MigrationState {
  /** Versions applied by this call. */
  applied: number[];
  /** Highest version in the store after the call. */
  current: number;
  /** Highest version this build knows. */
  latest: number;
}

export async function runPgMigrations(pool: pg.Pool, migrations: readonly Migration[] = PG_MIGRATIONS, now: () => number = Date.now): Promise<MigrationState> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await migrate(client, migrations, now);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function migrate(client: pg.PoolClient, migrations: readonly Migration[], now: () => number): Promise<MigrationState> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at BIGINT NOT NULL
  )`);
  const applied = new Map<number, AppliedRow>();
  for (const row of (await client.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations')).rows) applied.set(row.version, row);
  checkApplied(applied, migrations);

  const ran: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      if (migration.version === 1) await seedPrices(client);
      await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        migration.version,
        migration.name,
        migrationChecksum(migration.sql),
        now(),
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    ran.push(migration.version);
  }
  const latest = Math.max(0, ...migrations.map((migration) => migration.version));
  return { applied: ran, current: Math.max(latest, ...applied.keys()), latest };
}

function checkApplied(applied: Map<number, AppliedRow>, migrations: readonly Migration[]): void {
  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  for (const row of applied.values()) {
    const migration = known.get(row.version);
    if (!migration) {
      throw new GatewayError('store_schema_mismatch', `The store has migration ${row.version} (${row.name}), which this version of Switchboard does not know`);
    }
    if (migrationChecksum(migration.sql) !== row.checksum) {
      throw new GatewayError('store_schema_mismatch', `Migration ${row.version} (${row.name}) differs from the one applied to this store`);
    }
  }
}

async function seedPrices(client: pg.PoolClient): Promise<void> {
  for (const price of DEFAULT_PRICES) {
    await client.query('INSERT INTO prices (model, input_per_million, output_per_million) VALUES ($1, $2, $3) ON CONFLICT (model) DO NOTHING', [
      price.model,
      price.inputPerMillion,
      price.outputPerMillion,
    ]);
  }
}

/** The store's migration state without changing anything (for /ready). */
export async function readMigrationState(pool: pg.Pool, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<{ current: number; latest: number; pending: number }> {
  const latest = Math.max(0, ...migrations.map((migration) => migration.version));
  const exists = await pool.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!exists.rows[0]?.present) return { current: 0, latest, pending: migrations.length };
  const rows = (await pool.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version);
  const done = new Set(rows);
  return { current: Math.max(0, ...rows), latest, pending: migrations.filter((migration) => !done.has(migration.version)).length };
}
