/**
 * Remembers recently verified client tokens so the hot path does not hash-and-scan the token
 * table on every request. Keyed by the presented string itself: it is in this process's memory
 * anyway (it arrived in a header), and a map lookup says nothing an attacker could use. Cleared
 * whenever the configuration changes, so a revoked token is refused on the very next request.
 * Failed look-ups are not remembered (no growth from guessing).
 */
import type { ClientTokenInfo } from '../domain/client-token.ts';
import type { ClientTokenRepository } from '../store/types.ts';

const TTL_MS = 30_000;
const MAX_ENTRIES = 256;

export interface VerifiedTokenCache {
  verify(presented: string): ClientTokenInfo | null;
  clear(): void;
}

export function createVerifiedTokenCache(tokens: ClientTokenRepository, now: () => number = Date.now): VerifiedTokenCache {
  const entries = new Map<string, { info: ClientTokenInfo; at: number }>();
  return {
    verify(presented) {
      const key = presented;
      const hit = entries.get(key);
      if (hit && now() - hit.at < TTL_MS) return hit.info;
      const info = tokens.verify(presented);
      if (info) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, { info, at: now() });
      } else entries.delete(key);
      return info;
    },
    clear: () => entries.clear(),
  };
}
