import type { SqliteDatabase } from './database.ts';
import type { CacheRow, CacheRowIndex, CacheWriteBatch, ResponseCacheRepository } from './types.ts';

/** A response_cache row as both stores read it (SQLite and PostgreSQL share the columns). */
export interface CacheDbRow {
  key: string;
  entry: string;
  bytes: number;
  created_at: number;
  expires_at: number;
  last_used_at: number;
}

export function cacheRowFromDb(row: CacheDbRow): CacheRow {
  return { key: row.key, entry: row.entry, bytes: row.bytes, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at };
}

/**
 * The SQLite side of the response cache: rows keyed by cache key, written in batches (one
 * transaction per batch of new entries, uses and evictions), read one at a time on a hit. The
 * size bound and the least-recently-used order live in the cache above it (cache/).
 */
export function createResponseCacheRepository(db: SqliteDatabase): ResponseCacheRepository {
  const selectIndex = db.prepare<[], { key: string; bytes: number; expires_at: number; last_used_at: number }>(
    'SELECT key, bytes, expires_at, last_used_at FROM response_cache ORDER BY last_used_at, key',
  );
  const selectOne = db.prepare<[string], CacheDbRow>('SELECT * FROM response_cache WHERE key = ?');
  const upsert = db.prepare(
    `INSERT INTO response_cache (key, entry, bytes, created_at, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET entry = excluded.entry, bytes = excluded.bytes, created_at = excluded.created_at,
       expires_at = excluded.expires_at, last_used_at = excluded.last_used_at`,
  );
  const touch = db.prepare('UPDATE response_cache SET last_used_at = ? WHERE key = ?');
  const remove = db.prepare('DELETE FROM response_cache WHERE key = ?');

  const write = db.transaction((batch: CacheWriteBatch) => {
    for (const key of batch.deletes) remove.run(key);
    for (const row of batch.puts) upsert.run(row.key, row.entry, row.bytes, row.createdAt, row.expiresAt, row.lastUsedAt);
    for (const use of batch.uses) touch.run(use.at, use.key);
  });

  return {
    index(): CacheRowIndex[] {
      return selectIndex.all().map((row) => ({ key: row.key, bytes: row.bytes, expiresAt: row.expires_at, lastUsedAt: row.last_used_at }));
    },
    read(key): CacheRow | null {
      const row = selectOne.get(key);
      return row ? cacheRowFromDb(row) : null;
    },
    write(batch) {
      if (batch.puts.length + batch.uses.length + batch.deletes.length > 0) write.immediate(batch);
    },
    clear() {
      const removed = db.prepare('DELETE FROM response_cache').run().changes;
      db.pragma('incremental_vacuum');
      return removed;
    },
  };
}
