/**
 * The response cache on the local SQLite store. An in-memory index (key → size, expiry), kept in
 * least-recently-used order, answers a miss without touching the database and decides what to
 * evict when the entries outgrow settings.cache.maxMb. Bodies are read from SQLite on a hit;
 * new entries, uses and evictions are written behind in one transaction per batch, so a miss
 * costs the request a map lookup and the answer it keeps costs no synchronous write.
 */
import type { CacheStats } from '../domain/response-cache.ts';
import type { CacheRow, ResponseCacheRepository } from '../store/types.ts';
import type { CachedAnswer, ResponseCacheStore } from './types.ts';
import { cachedAnswerOf, cacheRowOf } from './cache-entry.ts';

export interface SqliteResponseCacheOptions {
  repository: ResponseCacheRepository;
  /** The size bound, read on every write (settings can change while running). */
  maxBytes(): number;
  onError(error: unknown): void;
  now?: () => number;
  /** How long writes wait to be batched. */
  flushDelayMs?: number;
}

interface IndexEntry {
  bytes: number;
  expiresAt: number;
}

export function createSqliteResponseCache(options: SqliteResponseCacheOptions): ResponseCacheStore {
  const { repository, onError } = options;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const index = new Map<string, IndexEntry>();
  let totalBytes = 0;
  const puts = new Map<string, CacheRow>();
  const uses = new Map<string, number>();
  const deletes = new Set<string>();
  let timer: NodeJS.Timeout | null = null;

  function schedule(): void {
    if (timer) return;
    timer = setTimeout(flush, options.flushDelayMs ?? 200);
    timer.unref();
  }

  function forget(key: string): void {
    const entry = index.get(key);
    if (!entry) return;
    index.delete(key);
    totalBytes -= entry.bytes;
    puts.delete(key);
    uses.delete(key);
    deletes.add(key);
    schedule();
  }

  function evictOverLimit(): void {
    const limit = options.maxBytes();
    for (const key of index.keys()) {
      if (totalBytes <= limit) return;
      forget(key);
    }
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (puts.size + uses.size + deletes.size === 0) return;
    const batch = { puts: [...puts.values()], uses: [...uses].map(([key, at]) => ({ key, at })), deletes: [...deletes] };
    puts.clear();
    uses.clear();
    deletes.clear();
    try {
      repository.write(batch);
    } catch (error) {
      // Lost writes only cost future misses; the index forgets what was not kept.
      for (const row of batch.puts) {
        const entry = index.get(row.key);
        if (entry) {
          index.delete(row.key);
          totalBytes -= entry.bytes;
        }
      }
      onError(error);
    }
  }

  try {
    const at = now();
    for (const row of repository.index()) {
      if (row.expiresAt <= at) deletes.add(row.key);
      else {
        index.set(row.key, { bytes: row.bytes, expiresAt: row.expiresAt });
        totalBytes += row.bytes;
      }
    }
    evictOverLimit();
    if (deletes.size > 0) schedule();
  } catch (error) {
    onError(error);
  }

  function read(key: string): CachedAnswer | null {
    const row = puts.get(key) ?? repository.read(key);
    // Gone from the database (`switchboard cache clear` while running): forget it here too.
    return row ? cachedAnswerOf(row) : null;
  }

  return {
    async get(key) {
      const entry = index.get(key);
      if (!entry) return null;
      const at = now();
      if (entry.expiresAt <= at) {
        forget(key);
        return null;
      }
      let found: CachedAnswer | null;
      try {
        found = read(key);
      } catch (error) {
        onError(error);
        found = null;
      }
      if (!found) {
        forget(key);
        return null;
      }
      index.delete(key);
      index.set(key, entry);
      uses.set(key, at);
      schedule();
      return found;
    },

    set(key, cached) {
      const row = cacheRowOf(key, cached);
      const { bytes } = row;
      // An answer bigger than the whole cache is not kept (it would evict everything, then itself).
      if (bytes > options.maxBytes()) return;
      const previous = index.get(key);
      if (previous) {
        index.delete(key);
        totalBytes -= previous.bytes;
      }
      index.set(key, { bytes, expiresAt: cached.expiresAt });
      totalBytes += bytes;
      deletes.delete(key);
      uses.delete(key);
      puts.set(key, row);
      evictOverLimit();
      schedule();
    },

    async clear() {
      const unwritten = puts.size;
      index.clear();
      totalBytes = 0;
      puts.clear();
      uses.clear();
      deletes.clear();
      return repository.clear() + unwritten;
    },

    async stats(): Promise<CacheStats> {
      return { entries: index.size, bytes: totalBytes, maxBytes: options.maxBytes() };
    },

    flush,
    close: flush,
  };
}
