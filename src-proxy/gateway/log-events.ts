/**
 * The live log console's feed: each new line of the log tail becomes a `log` control event while
 * someone listens (the dashboard's event stream, the desktop window). Lines are batched per tick
 * so a burst of warnings is one event, and a line logged while sending (a failing listener)
 * cannot loop back into another send.
 */
import type { ControlEvent } from '../control/contract.ts';
import type { ControlEvents } from '../control/events.ts';
import type { LogEntry } from '../domain/log-entry.ts';
import type { LogTail } from '../log-tail.ts';

/** At most this many lines per event; a longer burst is cut to its newest (the console can read the tail). */
const MAX_BATCH = 500;

export function forwardLogEvents(deps: { tail: LogTail; events: Pick<ControlEvents, 'emit' | 'hasSubscribers'>; onError: (error: unknown) => void }): () => void {
  let pending: LogEntry[] = [];
  let scheduled = false;
  let sending = false;
  const flush = () => {
    scheduled = false;
    const entries = pending.slice(-MAX_BATCH);
    pending = [];
    if (entries.length === 0 || !deps.events.hasSubscribers()) return;
    sending = true;
    try {
      deps.events.emit({ type: 'log', entries } satisfies ControlEvent);
    } catch (error) {
      deps.onError(error);
    } finally {
      sending = false;
    }
  };
  const unsubscribe = deps.tail.subscribe((entry) => {
    if (sending || !deps.events.hasSubscribers()) return;
    pending.push(entry);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
  return unsubscribe;
}
