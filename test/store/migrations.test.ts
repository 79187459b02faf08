import Database from 'better-sqlite3';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { openDatabase } from '../../src-proxy/store/database.ts';
import { MIGRATIONS, runMigrations } from '../../src-proxy/store/migrations.ts';
import { tempDir } from './helpers.ts';

function appliedMigrations(dataDir: string): Array<{ version: number; applied_at: number }> {
  const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
  try {
    return db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all() as Array<{ version: number; applied_at: number }>;
  } finally {
    db.close();
  }
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof GatewayError ? error.code : `not a GatewayError: ${String(error)}`;
  }
  return undefined;
}

describe('database and migrations', () => {
  it('applies every migration once, and a second open applies nothing', () => {
    const dataDir = tempDir();
    openStore({ dataDir, now: () => 1000 }).close();
    const first = appliedMigrations(dataDir);
    expect(first.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));

    openStore({ dataDir, now: () => 2000 }).close();
    expect(appliedMigrations(dataDir)).toEqual(first);
  });

  it('refuses to open a database whose applied migration was edited afterwards', () => {
    const dataDir = tempDir();
    openStore({ dataDir }).close();
    const { db } = openDatabase(dataDir);
    try {
      const edited = MIGRATIONS.map((m) => (m.version === 1 ? { ...m, sql: `${m.sql}\n-- tweak` } : m));
      expect(codeOf(() => runMigrations(db, edited))).toBe('database_schema_mismatch');
      expect(() => runMigrations(db, edited)).toThrow(/Migration 1 \(initial\) was changed after it was applied/);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer version with migrations this build does not know', () => {
    const dataDir = tempDir();
    openStore({ dataDir }).close();
    const { db } = openDatabase(dataDir);
    try {
      db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x', 0)").run();
      expect(codeOf(() => runMigrations(db))).toBe('database_schema_mismatch');
    } finally {
      db.close();
    }
  });

  it('runs each migration in its own transaction: a failing one leaves no trace and earlier ones stay', () => {
    const dataDir = tempDir();
    const { db } = openDatabase(dataDir);
    try {
      const next = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;
      const broken = [...MIGRATIONS, { version: next, name: 'broken', sql: 'CREATE TABLE half_done (x); SELECT * FROM no_such_table;' }];
      expect(() => runMigrations(db, broken)).toThrow(/no_such_table/);
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('uses WAL, foreign keys and secure_delete', () => {
    const { db } = openDatabase(tempDir());
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('secure_delete', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it.skipIf(process.platform === 'win32')('creates the data folder 0700 and the database file 0600', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    openStore({ dataDir }).close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'switchboard.db')).mode & 0o777).toBe(0o600);
  });

  it('reports a damaged database file clearly instead of crashing later', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'switchboard.db'), Buffer.alloc(8192, 0x41));
    expect(codeOf(() => openStore({ dataDir }))).toBe('database_corrupt');
  });

  it('seeds the built-in prices into a new database only', () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir });
    expect(store.prices.list().some((p) => p.model === 'gpt-4o')).toBe(true);
    store.prices.delete('gpt-4o');
    store.close();
    const reopened = openStore({ dataDir });
    expect(reopened.prices.list().some((p) => p.model === 'gpt-4o')).toBe(false);
    reopened.close();
  });

  it('moves the daily usage roll-up into hourly rows with names apart, losing no request or token', () => {
    const dataDir = tempDir();
    const { db } = openDatabase(dataDir);
    try {
      const before = MIGRATIONS.filter((m) => m.version < 9);
      runMigrations(db, before);
      const insert = db.prepare('INSERT INTO usage_daily (day, provider, model, client, requests, errors, input_tokens, output_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      insert.run('2025-06-01', 'openai', 'gpt-4o', 'ide', 10, 1, 1000, 200);
      insert.run('2025-06-01', '', 'no-such-model', 'ide', 2, 2, 0, 0);
      runMigrations(db);
      const rows = db.prepare('SELECT hour, provider, upstream_model, requested_model, client, requests, errors, input_tokens, output_tokens FROM usage_hourly ORDER BY provider').all();
      expect(rows).toEqual([
        { hour: '2025-06-01T00', provider: '', upstream_model: '', requested_model: 'no-such-model', client: 'ide', requests: 2, errors: 2, input_tokens: 0, output_tokens: 0 },
        { hour: '2025-06-01T00', provider: 'openai', upstream_model: 'gpt-4o', requested_model: '', client: 'ide', requests: 10, errors: 1, input_tokens: 1000, output_tokens: 200 },
      ]);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'usage_daily'").get()).toBeUndefined();
    } finally {
      db.close();
    }
  });
});
