/**
 * The response cache on a team store (PostgreSQL), behind the cache's own interface: an answer
 * kept through one instance is a hit on every other, and survives restarts. A hit costs one round
 * trip; answers are written behind, and the size bound is enforced by one eviction pass at most
 * every `evictEveryMs` after writes. Failures only cost misses (onError says why).
 */
import type { CacheStats } from '../domain/response-cache.ts';
import type { TeamCacheRepository } from '../store/types.ts';
import { cachedAnswerOf, cacheRowOf } from './cache-entry.ts';
import type { ResponseCacheStore } from './types.ts';

export interface TeamResponseCacheOptions {
  repository: TeamCacheRepository;
  maxBytes(): number;
  onError(error: unknown): void;
  now?: () => number;
  /** Longest wait between a write and the eviction pass that follows it. Default 1000 ms. */
  evictEveryMs?: number;
}

export function createTeamResponseCache(options: TeamResponseCacheOptions): ResponseCacheStore {
  const { repository, onError } = options;
  const now = options.now ?? Date.now;
  const pending = new Set<Promise<void>>();
  let evictTimer: NodeJS.Timeout | null = null;
  let closed = false;

  const track = (work: Promise<void>): void => {
    const settled = work.catch(onError).finally(() => pending.delete(settled));
    pending.add(settled);
  };

  function evictSoon(): void {
    if (evictTimer || closed) return;
    evictTimer = setTimeout(() => {
      evictTimer = null;
      track(repository.evict(now(), options.maxBytes()));
    }, options.evictEveryMs ?? 1000);
    evictTimer.unref();
  }

  return {
    async get(key) {
      try {
        const row = await repository.read(key, now());
        return row ? cachedAnswerOf(row) : null;
      } catch (error) {
        onError(error);
        return null;
      }
    },

    set(key, cached) {
      const row = cacheRowOf(key, cached);
      // An answer bigger than the whole cache is not kept (it would evict everything, then itself).
      if (closed || row.bytes > options.maxBytes() || cached.expiresAt <= now()) return;
      track(repository.put(row));
      evictSoon();
    },

    async clear() {
      await Promise.all(pending);
      return repository.clear();
    },

    async stats(): Promise<CacheStats> {
      const { entries, bytes } = await repository.stats(now());
      return { entries, bytes, maxBytes: options.maxBytes() };
    },

    // Writes are already on their way; close stops the eviction timer (the store's close waits for its pool).
    flush() {},
    close() {
      closed = true;
      if (evictTimer) clearTimeout(evictTimer);
      evictTimer = null;
    },
  };
}
