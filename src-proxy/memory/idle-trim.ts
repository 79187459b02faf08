/**
 * Gives freed native memory back to the system once the gateway goes idle: a malloc_trim(0) when
 * no request is in flight and none started or ended for a whole check interval, then again after
 * 2, 4, 8, 16, 32 and 64 intervals of the same idle spell (the next request starts a new one).
 * What a burst leaves is freed in steps after its last request: its upstream sockets when their
 * keep-alive ends (~4 s), socket buffers and V8's external memory at a later full GC; a trim finds
 * only what was free by then. glibc's thresholds keep each arena's free top small while requests
 * run; the trim returns the holes a burst leaves inside the arenas, which no threshold reaches.
 * A trim that finds nothing costs microseconds; one over ~27 MB of holes took 3-6 ms. After the
 * last trim of a spell the timer stops until the next request, so an idle gateway is not woken
 * every second. Measured in the README (Performance, idle RSS).
 */
import type { GlibcMalloc } from './glibc-malloc.ts';

export interface IdleTrimOptions {
  malloc: Pick<GlibcMalloc, 'trim'>;
  /** Requests in flight now. */
  inFlight(): number;
  /** Requests started plus requests ended so far (only its changes matter). */
  turnover(): number;
  /** Calls back once when the next request starts (the timer, stopped after a spell's last trim, starts again). */
  whenNextRequest(callback: () => void): void;
  /** How long the gateway must stay idle before the first trim; also the check interval. */
  idleMs: number;
  setInterval?: (run: () => void, ms: number) => { unref(): unknown };
  clearInterval?: (timer: never) => void;
}

/** The last trim of an idle spell is after this many quiet intervals. */
const LAST_IDLE_TRIM = 64;

/** Starts the checks (an unref'd timer: it never keeps a process alive); returns the stop function. */
export function startIdleTrim(options: IdleTrimOptions): () => void {
  const { malloc, inFlight, turnover, idleMs } = options;
  const every = options.setInterval ?? setInterval;
  const stopTimer = options.clearInterval ?? clearInterval;
  let seen = turnover();
  /** Quiet intervals in a row; a trim at 1, 2, 4, … LAST_IDLE_TRIM of them. */
  let quiet = 0;
  let timer: { unref(): unknown } | null = null;
  let stopped = false;

  function check(): void {
    const now = turnover();
    if (now !== seen || inFlight() > 0) {
      seen = now;
      quiet = 0;
      return;
    }
    quiet++;
    // A power of two: 1, 2, 4, 8, …
    if ((quiet & (quiet - 1)) === 0) malloc.trim();
    if (quiet < LAST_IDLE_TRIM) return;
    // The spell's last trim: sleep until a request comes.
    stopTimer(timer as never);
    timer = null;
    options.whenNextRequest(() => {
      if (stopped) return;
      seen = turnover();
      quiet = 0;
      arm();
    });
  }

  function arm(): void {
    timer = every(check, idleMs);
    timer.unref();
  }

  arm();
  return () => {
    stopped = true;
    if (timer) stopTimer(timer as never);
    timer = null;
  };
}
