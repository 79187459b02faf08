/**
 * Gives freed native memory back to the system once the gateway goes idle: a malloc_trim(0) when
 * no request is in flight and none started or ended for a whole check interval, once per idle
 * spell (the next request starts a new one). glibc's thresholds keep each arena's free top small while
 * requests run; the trim returns what a burst leaves inside the arenas (holes between live
 * chunks), which no threshold reaches. Measured in the README (Performance, idle RSS).
 */
import type { GlibcMalloc } from './glibc-malloc.ts';

export interface IdleTrimOptions {
  malloc: Pick<GlibcMalloc, 'trim'>;
  /** Requests in flight now. */
  inFlight(): number;
  /** Requests started plus requests ended so far (only its changes matter). */
  turnover(): number;
  /** How long the gateway must stay idle before the trim; also the check interval. */
  idleMs: number;
  setInterval?: (run: () => void, ms: number) => { unref(): unknown };
  clearInterval?: (timer: never) => void;
}

/** Starts the checks (an unref'd timer: it never keeps a process alive); returns the stop function. */
export function startIdleTrim(options: IdleTrimOptions): () => void {
  const { malloc, inFlight, turnover, idleMs } = options;
  const every = options.setInterval ?? setInterval;
  const stopTimer = options.clearInterval ?? clearInterval;
  let seen = turnover();
  let trimmed = false;
  const timer = every(() => {
    const now = turnover();
    if (now !== seen) {
      seen = now;
      trimmed = false;
      return;
    }
    if (trimmed || inFlight() > 0) return;
    trimmed = true;
    malloc.trim();
  }, idleMs);
  timer.unref();
  return () => stopTimer(timer as never);
}
