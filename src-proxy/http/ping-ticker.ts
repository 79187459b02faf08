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

/** A watched stream's place in its ticker's list. */
interface Watch {
  readonly target: PingTarget;
  prev: Watch | null;
  next: Watch | null;
  /** Null once unwatched. */
  ticker: Ticker | null;
}

/**
 * The streams of one interval as a list their watches link into, not a Set: a long-lived Set's
 * table lives in V8's old space, rehashes into a new old-space table every few additions and
 * leaves the old one dead but still pointing at every stream open then, which kept those
 * streams alive through every scavenge until the next mark-compact (http/in-flight.ts, README,
 * Performance). An unwatched stream's watch clears its own links.
 */
interface Ticker {
  head: Watch | null;
  size: number;
  timer: NodeJS.Timeout | null;
  /**
   * The watch a running tick visits next; null between ticks. A ping may end other streams
   * synchronously (and with them their watches' links): an unwatched stream moves this on, so
   * the tick neither pings a stopped stream nor loses the rest of the list.
   */
  cursor: Watch | null;
}

/** Tickers by ping interval (one per distinct setting in use: normally one). */
const tickers = new Map<number, Ticker>();

/** Starts pinging `target` after `intervalMs` of silence; the returned function stops it. */
export function watchSilence(intervalMs: number, target: PingTarget): () => void {
  let ticker = tickers.get(intervalMs);
  if (!ticker) tickers.set(intervalMs, (ticker = { head: null, size: 0, timer: null, cursor: null }));
  // Registration counts as a write: the first ping is a whole interval away.
  target.wrote = true;
  target.quiet = 0;
  const watch: Watch = { target, prev: null, next: ticker.head, ticker };
  if (ticker.head) ticker.head.prev = watch;
  ticker.head = watch;
  ticker.size++;
  if (!ticker.timer) start(intervalMs, ticker);
  return () => unwatch(watch);
}

function unwatch(watch: Watch): void {
  const { ticker, prev, next } = watch;
  if (!ticker) return;
  if (ticker.cursor === watch) ticker.cursor = next;
  if (prev) prev.next = next;
  else ticker.head = next;
  if (next) next.prev = prev;
  watch.prev = null;
  watch.next = null;
  watch.ticker = null;
  ticker.size--;
}

function start(intervalMs: number, ticker: Ticker): void {
  // Two quiet ticks in a row = at least one interval of silence.
  const timer = setInterval(() => {
    if (ticker.size === 0) {
      clearInterval(timer);
      ticker.timer = null;
      tickers.delete(intervalMs);
      return;
    }
    for (let watch = ticker.head; watch; watch = ticker.cursor) {
      ticker.cursor = watch.next;
      const target = watch.target;
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
    streams += ticker.size;
    if (ticker.timer) timers++;
  }
  return { streams, timers };
}
