/**
 * The engine's native memory policy (issue 18, idle RSS; README, Performance): glibc's trim and
 * mmap thresholds fixed once the engine is loaded, so an arena's free top above 2 MB goes back
 * at once instead of up to ~4 MB per arena being kept, and a malloc_trim(0) once the gateway has
 * been idle for a second, repeated as the idle spell goes on (memory/idle-trim.ts). Without the addon (not glibc Linux, not built) it says why at debug
 * level and does nothing.
 */
import type { Logger } from 'pino';
import { loadGlibcMalloc, type GlibcMalloc } from './glibc-malloc.ts';
import { startIdleTrim } from './idle-trim.ts';

/**
 * Above this much free top an arena is trimmed at the free that made it. glibc starts at 128 KB
 * and raises it to twice the largest mmapped chunk freed (~4 MB after the start); 512 KB cost
 * ~2,000 page faults and 137 brk() per 3,500 requests against ~12 and 2, 2 MB ~300 and 67 with
 * the same idle RSS (README, Performance).
 */
export const TRIM_THRESHOLD_BYTES = 2 * 1024 * 1024;
/** Chunks from this size on are mmapped: about where glibc's dynamic threshold settled after the start (the 2 MB bundle source). */
export const MMAP_THRESHOLD_BYTES = 2 * 1024 * 1024;
/** Idle this long (no request started, ended or in flight) before the trim. */
export const IDLE_TRIM_MS = 1000;

export interface NativeMemoryOptions {
  /** The allocator's controls; undefined: the addon the build made, null: leave glibc as it is. */
  malloc?: GlibcMalloc | null;
  logger: Pick<Logger, 'debug' | 'warn'>;
  inFlight(): number;
  turnover(): number;
  whenNextRequest(callback: () => void): void;
  idleMs?: number;
}

export interface NativeMemory {
  /** Starts the idle trim (at the gateway's start; again after a stop is a no-op). */
  startIdleTrim(): void;
  stop(): void;
}

export function tuneNativeMemory(options: NativeMemoryOptions): NativeMemory {
  const loaded = options.malloc === undefined ? loadGlibcMalloc() : options.malloc ? { malloc: options.malloc } : { malloc: null, reason: 'turned off by the host' };
  const { malloc } = loaded;
  if (!malloc) {
    if (loaded.reason) options.logger.debug({ reason: loaded.reason }, "glibc's allocator is left as it is");
    return { startIdleTrim() {}, stop() {} };
  }
  if (!malloc.setThresholds(TRIM_THRESHOLD_BYTES, MMAP_THRESHOLD_BYTES)) {
    // Another allocator in glibc's place (the desktop app's Chromium may bring its own) ignores mallopt.
    options.logger.debug("glibc's allocator refused its thresholds; memory is trimmed at idle only");
  }
  let stopTrim: (() => void) | null = null;
  return {
    startIdleTrim() {
      stopTrim ??= startIdleTrim({ malloc, inFlight: options.inFlight, turnover: options.turnover, whenNextRequest: options.whenNextRequest, idleMs: options.idleMs ?? IDLE_TRIM_MS });
    },
    stop() {
      stopTrim?.();
      stopTrim = null;
    },
  };
}
