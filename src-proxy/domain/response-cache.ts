/** What the response cache reports: how it served one request, and how full it is. */

/**
 * How the cache served a request on a cacheable route (an alias with `cache`):
 * hit (replayed, no upstream call), miss (asked upstream, kept the answer), bypass (the client
 * said `x-switchboard-cache: bypass`: neither read nor written), refresh (asked upstream and
 * overwrote the entry). Null on routes that do not cache.
 */
export type CacheStatus = 'hit' | 'miss' | 'bypass' | 'refresh';

export const CACHE_STATUSES: readonly CacheStatus[] = ['hit', 'miss', 'bypass', 'refresh'];

export interface CacheStats {
  entries: number;
  bytes: number;
  /** settings.cache.maxMb in bytes. */
  maxBytes: number;
}
