/**
 * The response cache on the team store: one table every instance reads and fills. A hit is one
 * round trip that also marks the entry used; the size bound (settings.cache.maxMb) is enforced by
 * an eviction pass the cache runs shortly after it writes — expired entries first, then the least
 * recently used — rather than by every write scanning the table.
 */
import type pg from 'pg';
import { cacheRowFromDb, type CacheDbRow } from '../response-cache-repository.ts';
import type { CacheRow, TeamCacheRepository } from '../types.ts';

export function createPgTeamCache(pool: pg.Pool): TeamCacheRepository {
  return {
    async read(key, now) {
      const { rows } = await pool.query<CacheDbRow>(
        'UPDATE response_cache SET last_used_at = $2 WHERE key = $1 AND expires_at > $2 RETURNING key, entry, bytes, created_at, expires_at, last_used_at',
        [key, now],
      );
      return rows[0] ? cacheRowFromDb(rows[0]) : null;
    },
    async put(row: CacheRow) {
      await pool.query(
        `INSERT INTO response_cache (key, entry, bytes, created_at, expires_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key) DO UPDATE SET entry = excluded.entry, bytes = excluded.bytes, created_at = excluded.created_at,
           expires_at = excluded.expires_at, last_used_at = excluded.last_used_at`,
        [row.key, row.entry, row.bytes, row.createdAt, row.expiresAt, row.lastUsedAt],
      );
    },
    async evict(now, maxBytes) {
      await pool.query('DELETE FROM response_cache WHERE expires_at <= $1', [now]);
      // Newest use first: whatever lies beyond the bound in that order goes.
      await pool.query(
        `DELETE FROM response_cache WHERE key IN (
           SELECT key FROM (SELECT key, SUM(bytes) OVER (ORDER BY last_used_at DESC, key) AS running FROM response_cache) ranked WHERE running > $1)`,
        [maxBytes],
      );
    },
    async stats(now) {
      const { rows } = await pool.query<{ entries: number; bytes: number }>(
        'SELECT COUNT(*) AS entries, COALESCE(SUM(bytes), 0) AS bytes FROM response_cache WHERE expires_at > $1',
        [now],
      );
      return { entries: rows[0]?.entries ?? 0, bytes: rows[0]?.bytes ?? 0 };
    },
    async clear() {
      return (await pool.query('DELETE FROM response_cache')).rowCount ?? 0;
    },
  };
}
