/**
 * The abort signal of one client request, without an AbortSignal per request. Node 20 builds an
 * AbortSignal as an EventTarget whose prototype is swapped afterwards: 3–6 µs of CPU (and its
 * garbage) per request, plus an EventTarget listener per upstream call. The request path needs
 * only `aborted`, `reason` and an abort listener, which `CallAbort` gives with a plain array; an
 * API that wants a real AbortSignal (fetch, AbortSignal.any) gets one from `toAbortSignal`,
 * made on demand and aborted with the same reason. A real AbortSignal is a CallSignal too.
 */

/** What the request path reads of an abort signal. */
export interface CallSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** An AbortController for one request whose signal is itself. */
export class CallAbort implements CallSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | null = null;
  private real: AbortController | null = null;

  get signal(): CallAbort {
    return this;
  }

  /** Aborts once; later calls are ignored (as AbortController's). Listeners run in the order added. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = null;
    this.real?.abort(reason);
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        // As an EventTarget does: a listener's error is reported, the other listeners still run.
        process.nextTick(() => {
          throw error;
        });
      }
    }
  }

  /** Every listener is called once (abort happens once), so `once` needs no bookkeeping. */
  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (this.aborted) return;
    // The same listener twice counts once, as on an EventTarget.
    if (this.listeners?.includes(listener)) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.listeners;
    if (!listeners) return;
    const index = listeners.indexOf(listener);
    if (index !== -1) listeners.splice(index, 1);
  }

  /** A real AbortSignal that follows this one (made on first use). */
  toAbortSignal(): AbortSignal {
    if (!this.real) {
      this.real = new AbortController();
      if (this.aborted) this.real.abort(this.reason);
    }
    return this.real.signal;
  }
}

/** A real AbortSignal for an API that needs one. */
export function toAbortSignal(signal: CallSignal): AbortSignal {
  if (signal instanceof CallAbort) return signal.toAbortSignal();
  if (signal instanceof AbortSignal) return signal;
  throw new TypeError('toAbortSignal takes a CallAbort or an AbortSignal');
}
