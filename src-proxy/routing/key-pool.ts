/**
 * Key rotation and cooldowns. Keys of a provider are used in turn, and the router moves on to the
 * next healthy key when one fails. What a failure may take away is bounded, because any local
 * client can make a request fail (routing/key-check.ts):
 * - a 429 rests the key for that upstream model only (Retry-After, or a default);
 * - a rejected key (401, or a 403 about the key) rests for long only once its own models call
 *   confirms the rejection; until then it stays in rotation for everyone else.
 * State lives in memory and is mirrored to the store so the UI can show it.
 */
import type { KeyRepository, ProviderKeySecret } from '../store/types.ts';
import type { KeyChecker } from './key-check.ts';
import { decodeKeyMaterial, type KeyMaterial } from '../domain/provider-key.ts';
import { createRests, createRotation } from './rests.ts';

/** A key as the pool hands it out: decrypted and decoded at most once while cached. */
export interface PoolKey extends ProviderKeySecret {
  material(): KeyMaterial;
}

export const DEFAULT_RATE_LIMIT_COOLDOWN_MS = 30_000;
export const REJECTED_KEY_COOLDOWN_MS = 10 * 60_000;
const MAX_COOLDOWN_MS = 60 * 60_000;
const USE_RECORD_INTERVAL_MS = 10_000;

/**
 * Where a pool's rotation stands when several instances share it (shared/shared-rotation.ts):
 * the next position, or undefined to rotate with this instance's own cursor.
 */
export interface KeyRotation {
  next(poolId: string): Promise<number | undefined>;
}

export interface KeyPool {
  /**
   * Enabled keys not resting (for `model`), starting with the next in rotation (advances the
   * rotation), or at `position` when a shared rotation gave one.
   */
  healthyKeys(providerId: string, model?: string, position?: number): PoolKey[];
  /** More than one enabled key: only then is there a rotation to share. */
  rotates(providerId: string): boolean;
  /** The first healthy key without advancing the rotation (discovery, tests of a provider). */
  peekHealthyKey(providerId: string): PoolKey | undefined;
  /** All enabled keys rest (for `model`): earliest time one is free again, else null. */
  exhaustedUntil(providerId: string, model?: string): number | null;
  /** The provider rate-limited this key for this upstream model. */
  markRateLimited(keyId: number, model: string, retryAfterSeconds: number | undefined, message: string): void;
  /** The provider rejected this key for one request: check the key, rest it if confirmed. */
  reportRejected(providerId: string, keyId: number, message: string): void;
  /** An OAuth2 account could not get a token: it rests (the whole key) and the pool moves on. */
  markRefreshFailed(keyId: number, retryAfterSeconds: number | undefined, message: string): void;
  markSucceeded(keyId: number): void;
  /** Another instance rested this key (shared cooldowns): rest it here too, without announcing it. */
  restAsTold(keyId: number, model: string | null, until: number, message: string): void;
  /** Forget cooldowns (a key was replaced or re-enabled). */
  reset(keyId: number): void;
  /** Drops cached keys after keys or providers changed. */
  invalidate(): void;
  /** Resolves when no key check is running. */
  whenIdle(): Promise<void>;
}

/** Decrypted keys stay in memory this long at most (and are dropped on any key change). */
const KEY_CACHE_TTL_MS = 60_000;

export function createKeyPool(deps: {
  keys: KeyRepository;
  checker: KeyChecker;
  now?: () => number;
  /** A key was put to rest (metrics). */
  onCooldown?: (keyId: number, reason: 'rate_limited' | 'rejected') => void;
  /** A key was put to rest here, until `until` (for one upstream model, or null = all): shared cooldowns announce it. */
  onRested?: (keyId: number, model: string | null, until: number) => void;
}): KeyPool {
  const now = deps.now ?? Date.now;
  // The hot path must not read SQLite and decrypt on every request: keep each provider's key
  // list briefly, decrypting each key at most once while it is cached.
  const cache = new Map<string, { at: number; keys: PoolKey[]; enabled: PoolKey[] }>();
  function cachedKeys(providerId: string): { keys: PoolKey[]; enabled: PoolKey[] } {
    const hit = cache.get(providerId);
    if (hit && now() - hit.at < KEY_CACHE_TTL_MS) return hit;
    const keys = deps.keys.secretsFor(providerId).map((key): PoolKey => {
      let plaintext: string | null = null;
      let material: KeyMaterial | null = null;
      const reveal = () => (plaintext ??= key.reveal());
      return { ...key, reveal, material: () => (material ??= decodeKeyMaterial(reveal())) };
    });
    // The enabled ones too: every model call rotates over them.
    const entry = { at: now(), keys, enabled: keys.filter((key) => key.enabled) };
    cache.set(providerId, entry);
    return entry;
  }
  function keysOf(providerId: string): PoolKey[] {
    return cachedKeys(providerId).keys;
  }
  /** keyId (the whole key rests); `keyId\u0000model` (that model only). */
  const cooldowns = createRests<number | string>({ now, maxMs: MAX_COOLDOWN_MS });
  const rotate = createRotation();
  // "Last used" is for the UI; writing it on every request would put a SQLite write on the hot path.
  const lastRecordedUse = new Map<number, number>();

  function keyRestsUntil(keyId: number, model: string | undefined): number | null {
    const whole = cooldowns.until(keyId);
    const forModel = model === undefined || cooldowns.empty ? null : cooldowns.until(`${keyId}\u0000${model}`);
    if (whole === null) return forModel;
    return forModel === null ? whole : Math.max(whole, forModel);
  }

  function coolDown(keyId: number, slot: number | string, ms: number, message: string, model: string | null) {
    const until = cooldowns.rest(slot, ms);
    deps.keys.recordError(keyId, message, until);
    deps.onCooldown?.(keyId, typeof slot === 'number' ? 'rejected' : 'rate_limited');
    deps.onRested?.(keyId, model, until);
  }

  return {
    healthyKeys(providerId, model, position) {
      const rotated = rotate(providerId, cachedKeys(providerId).enabled, position);
      return cooldowns.empty ? rotated : rotated.filter((key) => keyRestsUntil(key.id, model) === null);
    },
    rotates(providerId) {
      let enabled = 0;
      for (const key of keysOf(providerId)) if (key.enabled && ++enabled > 1) return true;
      return false;
    },
    peekHealthyKey(providerId) {
      return keysOf(providerId).find((key) => key.enabled && cooldowns.until(key.id) === null);
    },
    exhaustedUntil(providerId, model) {
      const enabled = keysOf(providerId).filter((key) => key.enabled);
      const until = enabled.map((key) => keyRestsUntil(key.id, model));
      if (enabled.length === 0 || until.some((value) => value === null)) return null;
      return Math.min(...(until as number[]));
    },
    markRateLimited(keyId, model, retryAfterSeconds, message) {
      coolDown(keyId, `${keyId}\u0000${model}`, retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : DEFAULT_RATE_LIMIT_COOLDOWN_MS, `${model}: ${message}`, model);
    },
    reportRejected(providerId, keyId, message) {
      deps.checker.request(providerId, keyId, () => coolDown(keyId, keyId, REJECTED_KEY_COOLDOWN_MS, message, null));
    },
    restAsTold(keyId, model, until, message) {
      const slot = model === null ? keyId : `${keyId}\u0000${model}`;
      if (!cooldowns.restUntil(slot, until)) return;
      deps.keys.recordError(keyId, message, cooldowns.until(slot));
    },
    markRefreshFailed(keyId, retryAfterSeconds, message) {
      coolDown(keyId, keyId, retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : REJECTED_KEY_COOLDOWN_MS, message, null);
    },
    markSucceeded(keyId) {
      const hadCooldown = cooldowns.clear(keyId);
      const at = now();
      if (at - (lastRecordedUse.get(keyId) ?? 0) >= USE_RECORD_INTERVAL_MS) {
        lastRecordedUse.set(keyId, at);
        deps.keys.recordUse(keyId, at);
      }
      if (hadCooldown) deps.keys.recordError(keyId, null, null);
    },
    reset(keyId) {
      cooldowns.clearWhere((slot) => slot === keyId || (typeof slot === 'string' && slot.startsWith(`${keyId}\u0000`)));
    },
    invalidate() {
      cache.clear();
    },
    whenIdle: () => deps.checker.whenIdle(),
  };
}
