/**
 * Confirms a key failure before a key is rested for long. An upstream 401/403 answers one
 * request — a model the key may not use, a body the provider dislikes — and any local program
 * can send requests, so one client's request alone must not take a key away from everyone.
 * Here the key's own cheap call (the provider's models list) decides: rejected there too → the
 * key rests; accepted (or unknown: network trouble) → it stays in rotation.
 *
 * Bounded: one check per key in flight, and at most one per key per `minIntervalMs`, however
 * many requests failed.
 */
export type KeyVerdict = 'rejected' | 'accepted' | 'unknown';

export interface KeyChecker {
  /** Checks the key (unless one ran recently or runs now) and calls `onRejected` when confirmed. */
  request(providerId: string, keyId: number, onRejected: () => void): void;
  /** Resolves when no check is running (tests, shutdown). */
  whenIdle(): Promise<void>;
}

export const KEY_CHECK_INTERVAL_MS = 30_000;

export function createKeyChecker(deps: {
  check(providerId: string, keyId: number): Promise<KeyVerdict>;
  onError?(error: unknown): void;
  minIntervalMs?: number;
  now?: () => number;
}): KeyChecker {
  const now = deps.now ?? Date.now;
  const minInterval = deps.minIntervalMs ?? KEY_CHECK_INTERVAL_MS;
  const running = new Map<number, Promise<void>>();
  const lastStarted = new Map<number, number>();

  return {
    request(providerId, keyId, onRejected) {
      if (running.has(keyId)) return;
      const last = lastStarted.get(keyId);
      if (last !== undefined && now() - last < minInterval) return;
      lastStarted.set(keyId, now());
      const run = deps
        .check(providerId, keyId)
        .then((verdict) => {
          if (verdict === 'rejected') onRejected();
        })
        .catch((error: unknown) => deps.onError?.(error))
        .finally(() => running.delete(keyId));
      running.set(keyId, run);
    },
    async whenIdle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
