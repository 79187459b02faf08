/**
 * Where a bearer token comes from when a key is not a fixed secret: an OAuth2 account
 * (oauth2-source.ts), a cloud service account (a provider folder may bring its own). The caller
 * asks for a token right before each upstream call and reports a 401 so the next ask refreshes.
 * Provider-neutral on purpose: nothing here knows which upstream the token is for.
 */
import type { CallSignal } from './call-signal.ts';

export interface CredentialSource {
  /** A token valid now; refreshes first when it is missing or about to expire. Concurrent calls share one refresh. */
  token(signal: CallSignal): Promise<string>;
  /** The upstream refused `rejected` (a 401): the next token() refreshes, unless another call already did. */
  invalidate(rejected: string): void;
}

/**
 * Runs `refresh` at most once at a time: callers arriving while it runs get the same promise.
 * The refresh itself is not tied to any one caller's signal, so one client going away does not
 * fail the others that wait on it.
 */
export function singleFlight<T>(refresh: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    running ??= refresh().finally(() => {
      running = null;
    });
    return running;
  };
}

/** Waits for `promise` but gives up when `signal` aborts (the promise itself keeps running). */
export function untilAborted<T>(promise: Promise<T>, signal: CallSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
