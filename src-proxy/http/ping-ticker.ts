/**
 * One timer for the keep-alive pings of every open stream (one per ping interval) instead of a
 * setInterval per stream: a stream registers what its silence looks like and how to ping, the
 * ticker visits all of them every half interval. A stream pings after between one and one and a
 * half intervals of silence, as with a timer of its own. The timer stops once no stream has been
 * registered for a whole tick, so an idle engine holds none; back-to-back streams share it.
 */

export interface PingTarget {
  /** Set by every write: the stream was not silent since the last tick. */
  wrote: boolean;
  /** Consecutive ticks without a write (the ticker's own count). */
  quiet: number;
  /** Writes the keep-alive text unless the stream is closed or has bytes queued; true when it wrote. */
  ping(): boolean;
}

interface Ticker {
  readonly targets: Set<PingTarget>;
  timer: NodeJS.Timeout | null;
}

/** Tickers by ping interval (one per distinct setting in use: normally one). */
const tickers = new Map<number, Ticker>();

/** Starts pinging `target` after `intervalMs` of silence; the returned function stops it. */
export function watchSilence(intervalMs: number, target: PingTarget): () => void {
  let ticker = tickers.get(intervalMs);
  if (!ticker) tickers.set(intervalMs, (ticker = { targets: new Set(), timer: null }));
  // Registration counts as a write: the first ping is a whole interval away.
  target.wrote = true;
  target.quiet = 0;
  ticker.targets.add(target);
  if (!ticker.timer) start(intervalMs, ticker);
  const targets = ticker.targets;
  return () => {
    targets.delete(target);
  };
}

function start(intervalMs: number, ticker: Ticker): void {
  // Two quiet ticks in a row = at least one interval of silence.
  const timer = setInterval(() => {
    if (ticker.targets.size === 0) {
      clearInterval(timer);
      ticker.timer = null;
      tickers.delete(intervalMs);
      return;
    }
    for (const target of ticker.targets) {
      if (target.wrote) {
        target.wrote = false;
        target.quiet = 0;
      } else if (++target.quiet >= 2 && target.ping()) target.quiet = 0;
    }
  }, Math.max(10, Math.floor(intervalMs / 2)));
  timer.unref();
  ticker.timer = timer;
}

/** Streams with pings armed and timers running, for tests. */
export function pingTickerState(): { streams: number; timers: number } {
  let streams = 0;
  let timers = 0;
  for (const ticker of tickers.values()) {
    streams += ticker.targets.size;
    if (ticker.timer) timers++;
  }
  return { streams, timers };
}
