import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../errors/codes.ts';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE_NAME = 'switchboard.db';
/** KiB of SQLite page cache per connection (negative cache_size: a size, not a page count). */
const PAGE_CACHE_KB = 2000;

/**
 * Opens (creating if needed) switchboard.db in dataDir with the pragmas the store relies on:
 * WAL + synchronous=NORMAL (consistent after crashes, fast history writes), busy_timeout for
 * the CLI reading while the app writes, secure_delete so deleted key ciphertext is zeroed.
 * The folder is created 0700 and the file 0600; SQLite gives -wal/-shm the file's mode.
 * The page cache is capped at SQLite's own default (2 MB): better-sqlite3 builds SQLite with a
 * 16 MB default, which a growing history fills and keeps for the life of the process.
 */
export function openDatabase(dataDir: string): { db: SqliteDatabase; path: string } {
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, DATABASE_FILE_NAME);
  if (!existsSync(path)) closeSync(openSync(path, 'wx', 0o600));
  if (process.platform !== 'win32') chmodSync(path, 0o600);

  const db = new Database(path);
  try {
    // auto_vacuum only takes effect before the first table exists (fresh databases).
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma(`cache_size = -${PAGE_CACHE_KB}`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
  } catch (error) {
    db.close();
    const detail = error instanceof Error ? error.message : String(error);
    throw new GatewayError('database_corrupt', `${path} failed its integrity check (${detail})`, { cause: error });
  }
  return { db, path };
}

/** True when the bundled SQLite was compiled with FTS5 (better-sqlite3's build is). */
export function hasFts5(db: SqliteDatabase): boolean {
  const row = db.prepare("SELECT 1 AS yes FROM pragma_compile_options WHERE compile_options = 'ENABLE_FTS5'").get();
  return row !== undefined;
}
