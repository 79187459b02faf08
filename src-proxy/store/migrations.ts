import { createHash } from 'node:crypto';
import { GatewayError } from '../errors/codes.ts';
import { hasFts5, type SqliteDatabase } from './database.ts';
import * as initial from './migrations/001-initial.ts';
import * as historySearch from './migrations/002-history-search.ts';
import * as keptResponses from './migrations/003-responses.ts';
import * as leanHistoryWrites from './migrations/004-lean-history-writes.ts';
import * as responseOwners from './migrations/005-response-owners.ts';
import * as clientGovernance from './migrations/006-client-governance.ts';
import * as ownership from './migrations/007-ownership-and-app-state.ts';
import * as responseCache from './migrations/008-response-cache.ts';
import * as usageByHour from './migrations/009-usage-by-hour.ts';
import * as guardrails from './migrations/010-guardrails.ts';
import * as keyAccounts from './migrations/011-key-accounts.ts';
import * as translationView from './migrations/012-translation-view.ts';
import * as providerHttp2 from './migrations/013-provider-http2.ts';
import * as historyResponseHeaders from './migrations/016-history-response-headers.ts';
import * as historyClientAddress from './migrations/014-history-client-address.ts';
import * as historyTrigramSearch from './migrations/015-history-trigram-search.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A SQLite feature the migration needs; without it the migration waits for a later start. */
  requires?: 'fts5';
}

/** Every migration, in order. Migrations are TS modules so esbuild bundles them (no .sql files). */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: initial.name, sql: initial.sql },
  { version: 2, name: historySearch.name, sql: historySearch.sql, requires: historySearch.requires },
  { version: 3, name: keptResponses.name, sql: keptResponses.sql },
  { version: 4, name: leanHistoryWrites.name, sql: leanHistoryWrites.sql },
  { version: 5, name: responseOwners.name, sql: responseOwners.sql },
  { version: 6, name: clientGovernance.name, sql: clientGovernance.sql },
  { version: 7, name: ownership.name, sql: ownership.sql },
  { version: 8, name: responseCache.name, sql: responseCache.sql },
  { version: 9, name: usageByHour.name, sql: usageByHour.sql },
  { version: 10, name: guardrails.name, sql: guardrails.sql },
  { version: 11, name: keyAccounts.name, sql: keyAccounts.sql },
  { version: 12, name: translationView.name, sql: translationView.sql },
  { version: 13, name: providerHttp2.name, sql: providerHttp2.sql },
  { version: 14, name: historyClientAddress.name, sql: historyClientAddress.sql },
  { version: 15, name: historyTrigramSearch.name, sql: historyTrigramSearch.sql },
  { version: 16, name: historyResponseHeaders.name, sql: historyResponseHeaders.sql },
];

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies pending migrations, each in its own BEGIN IMMEDIATE transaction, and returns the
 * versions it applied. Refuses (database_schema_mismatch) when an applied migration was edited
 * or the database carries migrations this build does not know (written by a newer version).
 */
export function runMigrations(db: SqliteDatabase, migrations: readonly Migration[] = MIGRATIONS, now: () => number = Date.now): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = new Map<number, AppliedRow>();
  for (const row of db.prepare('SELECT version, name, checksum FROM schema_migrations').all() as AppliedRow[]) {
    applied.set(row.version, row);
  }

  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  for (const row of applied.values()) {
    const migration = known.get(row.version);
    if (!migration) {
      throw new GatewayError(
        'database_schema_mismatch',
        `The database has migration ${row.version} (${row.name}), which this version of Switchboard does not know`,
      );
    }
    if (migrationChecksum(migration.sql) !== row.checksum) {
      throw new GatewayError(
        'database_schema_mismatch',
        `Migration ${row.version} (${row.name}) was changed after it was applied to this database; restore the original migration file and add a new migration instead`,
      );
    }
  }

  const insert = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const fts5 = hasFts5(db);
  const ran: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    if (migration.requires === 'fts5' && !fts5) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      insert.run(migration.version, migration.name, migrationChecksum(migration.sql), now());
    }).immediate();
    ran.push(migration.version);
  }
  return ran;
}
