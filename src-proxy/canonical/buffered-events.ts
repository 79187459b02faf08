/**
 * A canonical event stream that can hand over events it already holds without a promise: the
 * upstream readers decode a whole body chunk into a batch of events at once (upstream/
 * event-queue.ts), and the consumer (http/send-stream.ts) takes the rest of the batch with
 * `poll()` instead of one `await next()` — a promise, and a microtask hop per layer — per event.
 */
import type { StreamEvent } from './types.ts';

export interface BufferedEvents extends AsyncIterator<StreamEvent> {
  /**
   * The next event when it is already in hand — exactly what next() would resolve to — else
   * undefined (nothing in hand, or the stream is ending): then call next().
   */
  poll(): StreamEvent | undefined;
}

/** The iterator's poll, when it has one. */
export function pollOf(iterator: AsyncIterator<StreamEvent>): (() => StreamEvent | undefined) | null {
  const buffered = iterator as Partial<BufferedEvents>;
  return typeof buffered.poll === 'function' ? () => buffered.poll!() : null;
}
