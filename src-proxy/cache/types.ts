/**
 * The response cache's store, kept behind this one small interface: SQLite on one machine
 * (sqlite-response-cache.ts), a shared server for a team later. Reads are async so a networked
 * store fits; writes are fire-and-forget (written behind, never on the client's path).
 */
import type { ChatResponse } from '../canonical/types.ts';
import type { CacheStats } from '../domain/response-cache.ts';

/** One kept answer: the canonical response (any front door renders it) and who gave it. */
export interface CachedAnswer {
  answer: ChatResponse;
  /** The provider and upstream model that answered when it was stored. */
  provider: string;
  model: string;
  createdAt: number;
  expiresAt: number;
}

export interface ResponseCacheStore {
  /** The live (unexpired) answer under a key, or null. */
  get(key: string): Promise<CachedAnswer | null>;
  /** Keeps an answer (replacing one under the same key). Never throws into the request. */
  set(key: string, answer: CachedAnswer): void;
  /** Removes every entry; resolves to how many went. */
  clear(): Promise<number>;
  stats(): Promise<CacheStats>;
  /** Writes what is pending now (shutdown, tests). */
  flush(): void;
  close(): void;
}
