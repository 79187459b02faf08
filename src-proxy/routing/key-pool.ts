/**
 * Key rotation and cooldowns. Keys of a provider are used in turn; a key rests after a 429
 * (for Retry-After, or a default) or after the provider rejected it (401/403), and the
 * router moves on to the next healthy key. State lives in memory and is mirrored to the
 * store so the UI can show it.
 */
import type { KeyRepository, ProviderKeySecret } from '../store/types.ts';

export const DEFAULT_RATE_LIMIT_COOLDOWN_MS = 30_000;
export const REJECTED_KEY_COOLDOWN_MS = 10 * 60_000;
const MAX_COOLDOWN_MS = 60 * 60_000;
const USE_RECORD_INTERVAL_MS = 10_000;

export interface KeyPool {
  /** Enabled keys not cooling down, starting with the next in rotation (advances the rotation). */
  healthyKeys(providerId: string): ProviderKeySecret[];
  /** The first healthy key without advancing the rotation (discovery, tests of a provider). */
  peekHealthyKey(providerId: string): ProviderKeySecret | undefined;
  /** All enabled keys are cooling down: earliest time one is free again, else null. */
  exhaustedUntil(providerId: string): number | null;
  markRateLimited(keyId: number, retryAfterSeconds: number | undefined, message: string): void;
  markRejected(keyId: number, message: string): void;
  markSucceeded(keyId: number): void;
  /** Forget cooldowns (a key was replaced or re-enabled). */
  reset(keyId: number): void;
  /** Drops cached keys after keys or providers changed. */
  invalidate(): void;
}

/** Decrypted keys stay in memory this long at most (and are dropped on any key change). */
const KEY_CACHE_TTL_MS = 60_000;

export function createKeyPool(deps: { keys: KeyRepository; now?: () => number }): KeyPool {
  const now = deps.now ?? Date.now;
  // The hot path must not read SQLite and decrypt on every request: keep each provider's key
  // list briefly, decrypting each key at most once while it is cached.
  const cache = new Map<string, { at: number; keys: ProviderKeySecret[] }>();
  function keysOf(providerId: string): ProviderKeySecret[] {
    const hit = cache.get(providerId);
    if (hit && now() - hit.at < KEY_CACHE_TTL_MS) return hit.keys;
    const keys = deps.keys.secretsFor(providerId).map((key) => {
      let plaintext: string | null = null;
      return { ...key, reveal: () => (plaintext ??= key.reveal()) };
    });
    cache.set(providerId, { at: now(), keys });
    return keys;
  }
  const cooldowns = new Map<number, number>();
  const cursors = new Map<string, number>();
  // "Last used" is for the UI; writing it on every request would put a SQLite write on the hot path.
  const lastRecordedUse = new Map<number, number>();

  function isCooling(keyId: number): boolean {
    const until = cooldowns.get(keyId);
    if (until === undefined) return false;
    if (until <= now()) {
      cooldowns.delete(keyId);
      return false;
    }
    return true;
  }

  function coolDown(keyId: number, ms: number, message: string) {
    const until = now() + Math.min(ms, MAX_COOLDOWN_MS);
    cooldowns.set(keyId, until);
    deps.keys.recordError(keyId, message, until);
  }

  return {
    healthyKeys(providerId) {
      const enabled = keysOf(providerId).filter((key) => key.enabled);
      if (enabled.length === 0) return [];
      const cursor = (cursors.get(providerId) ?? 0) % enabled.length;
      cursors.set(providerId, cursor + 1);
      const rotated = [...enabled.slice(cursor), ...enabled.slice(0, cursor)];
      return rotated.filter((key) => !isCooling(key.id));
    },
    peekHealthyKey(providerId) {
      return keysOf(providerId).find((key) => key.enabled && !isCooling(key.id));
    },
    exhaustedUntil(providerId) {
      const enabled = keysOf(providerId).filter((key) => key.enabled);
      if (enabled.length === 0 || enabled.some((key) => !isCooling(key.id))) return null;
      return Math.min(...enabled.map((key) => cooldowns.get(key.id) ?? 0));
    },
    markRateLimited(keyId, retryAfterSeconds, message) {
      coolDown(keyId, retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : DEFAULT_RATE_LIMIT_COOLDOWN_MS, message);
    },
    markRejected(keyId, message) {
      coolDown(keyId, REJECTED_KEY_COOLDOWN_MS, message);
    },
    markSucceeded(keyId) {
      const hadCooldown = cooldowns.delete(keyId);
      const at = now();
      if (at - (lastRecordedUse.get(keyId) ?? 0) >= USE_RECORD_INTERVAL_MS) {
        lastRecordedUse.set(keyId, at);
        deps.keys.recordUse(keyId, at);
      }
      if (hadCooldown) deps.keys.recordError(keyId, null, null);
    },
    reset(keyId) {
      cooldowns.delete(keyId);
    },
    invalidate() {
      cache.clear();
    },
  };
}
