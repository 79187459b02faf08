/**
 * Canonical events from an upstream body without async-generator layers: each body chunk is
 * converted at once into a batch of events, served one by one from a queue. On a streamed
 * answer of ~50 events this halves the per-event cost of nested generators (each `yield` is a
 * generator resume plus promise hops).
 */
import type { BufferedEvents } from '../canonical/buffered-events.ts';
import type { StreamEvent } from '../canonical/types.ts';
import { parseSseEvent, SseTextFramer } from './sse-framer.ts';
import type { ChunkPoll } from './http-client.ts';
import { TextTemplate, type TextSideField } from './text-template.ts';

/**
 * One body chunk's events, in one array kept for the whole stream: a fresh events array per
 * upstream chunk (plus its backing store and a `{ events, stop }` result) was ~300 bytes of
 * garbage per chunk, and a fast answer is ~50 chunks. Served slots are cleared, so a served event
 * is not kept alive by the batch.
 */
export class EventBatch {
  private readonly items: Array<StreamEvent | undefined> = [];
  private size = 0;
  private read = 0;

  push(event: StreamEvent): void {
    this.items[this.size++] = event;
  }

  /** The next event not yet served, else undefined. */
  shift(): StreamEvent | undefined {
    if (this.read >= this.size) return undefined;
    const event = this.items[this.read];
    this.items[this.read++] = undefined;
    return event;
  }

  /** Empty, keeping the array (setting an array's length to 0 gives up its backing store). */
  clear(): void {
    while (this.read < this.size) this.items[this.read++] = undefined;
    this.size = this.read = 0;
  }
}

export interface ChunkConverter {
  /**
   * Appends one body chunk's events to `events`. Returns true when the protocol's terminal frame
   * was seen (nothing more is read).
   */
  chunk(chunk: Buffer, events: EventBatch): boolean;
  /** Events that close the answer (after the terminal frame or at the end of the body); may throw. */
  end(): StreamEvent[];
}

export class EventQueue implements AsyncIterableIterator<StreamEvent>, BufferedEvents {
  private iterator: AsyncIterator<Buffer> | null = null;
  /** A chunk read by poll() failed to convert: next() throws it (poll itself never throws). */
  private failure: { error: unknown } | null = null;
  private readonly batch = new EventBatch();
  private state: 'reading' | 'ending' | 'done' = 'reading';

  constructor(
    private readonly body: AsyncIterable<Buffer>,
    private readonly converter: ChunkConverter,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      const event = this.batch.shift();
      if (event !== undefined) return { value: event, done: false };
      if (this.failure) {
        const { error } = this.failure;
        this.failure = null;
        throw error;
      }
      if (this.state === 'done') return { value: undefined, done: true };
      if (this.state === 'ending') {
        this.state = 'done';
        this.batch.clear();
        for (const event of this.converter.end()) this.batch.push(event);
        continue;
      }
      const result = await this.source().next();
      if (result.done) {
        this.state = 'ending';
        continue;
      }
      this.take(result.value);
    }
  }

  /**
   * The next event without a promise when it is in hand (canonical/buffered-events.ts): the rest
   * of the current chunk's batch, then the events of body chunks already received. undici hands
   * over each HTTP chunk on its own — one per event from most upstreams — so a fast answer is ~50
   * chunks in hand at once; each used to cost an await through this queue and the body (a
   * promise, an async resumption and a result object per layer).
   */
  poll(): StreamEvent | undefined {
    for (;;) {
      const event = this.batch.shift();
      if (event !== undefined) return event;
      if (this.state !== 'reading' || this.failure) return undefined;
      // The body's chunks already received, without a promise (upstream/http-client.ts ChunkPoll).
      const chunk = (this.source() as Partial<ChunkPoll>).poll?.();
      if (chunk === undefined) return undefined;
      try {
        this.take(chunk);
      } catch (error) {
        this.failure = { error };
        return undefined;
      }
    }
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    this.state = 'done';
    await this.iterator?.return?.();
    return { value: undefined, done: true };
  }

  private source(): AsyncIterator<Buffer> {
    return (this.iterator ??= this.body[Symbol.asyncIterator]());
  }

  /** One body chunk's events become the batch; at the protocol's end the body is let go. */
  private take(chunk: Buffer): void {
    this.batch.clear();
    let stop: boolean;
    try {
      stop = this.converter.chunk(chunk, this.batch);
    } catch (error) {
      // A chunk that fails to convert yields none of its events, only the failure.
      this.batch.clear();
      throw error;
    }
    if (stop) {
      this.state = 'ending';
      // Let the body finish on its own (keep-alive): the upstream body drains what is left.
      void this.iterator!.return?.();
    }
  }
}

/**
 * The data of a one-line SSE event (`data: …\n\n`, what OpenAI-style upstreams send) without
 * splitting lines; null when the event has another shape (the caller then parses it fully).
 */
export function singleLineSseData(event: string): string | null {
  if (event.length < 7 || !event.startsWith('data:')) return null;
  let end = event.length;
  while (end > 0 && (event.charCodeAt(end - 1) === 0x0a || event.charCodeAt(end - 1) === 0x0d)) end--;
  const start = event.charCodeAt(5) === 0x20 ? 6 : 5;
  const newline = event.indexOf('\n', start);
  if (newline !== -1 && newline < end) return null;
  return event.slice(start, end);
}

export interface SseJsonHandler {
  /** Non-JSON data that ends the stream (OpenAI's `[DONE]`). */
  isSentinel?(data: string): boolean;
  /** Canonical events for one event's JSON. An `error` event ends the stream there. */
  convert(json: Record<string, unknown>): StreamEvent[];
  /**
   * The text when `json` is a plain text delta: its events are exactly one text_delta of that text
   * (none for ''), whatever came before, and it changes no state. Such frames are then read from
   * a template without JSON.parse (upstream/text-template.ts). Undefined for every other event.
   */
  textOnly?(json: Record<string, unknown>): string | undefined;
  /** A field with an object value that text deltas carry beside their text and that changes each time (TextSideField). */
  textSide?: TextSideField;
  /** The protocol's own end was seen inside the JSON (Anthropic `message_stop`). */
  stopped?(): boolean;
  /**
   * Events that close a whole answer, called unless an error event ended it; throws when the
   * stream ended too early. `sentinelSeen` tells whether the sentinel arrived.
   */
  finish(sentinelSeen: boolean): StreamEvent[];
}

/**
 * An SSE upstream body whose events carry JSON → canonical events. Empty and unparseable events
 * are skipped, as the official clients do; a last event without its blank line still counts
 * (some servers end on "data: [DONE]\n").
 */
export function sseJsonEvents(body: AsyncIterable<Buffer>, handler: SseJsonHandler): EventQueue {
  const framer = new SseTextFramer();
  let sentinelSeen = false;
  let failed = false;
  const template = handler.textOnly ? new TextTemplate(handler.textOnly, handler.textSide) : null;
  /** Reads one framed event into `events`; false once nothing more should be read. */
  const read = (frame: string, events: EventBatch | StreamEvent[]): boolean => {
    if (template) {
      const text = template.match(frame);
      if (text !== undefined) {
        if (text !== '') events.push({ type: 'text_delta', text });
        return true;
      }
    }
    const data = singleLineSseData(frame) ?? parseSseEvent(frame)?.data ?? '';
    if (data === '') return true;
    if (handler.isSentinel?.(data)) {
      sentinelSeen = true;
      return false;
    }
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return true;
    }
    template?.learn(frame, data, json);
    const converted = handler.convert(json);
    for (const event of converted) events.push(event);
    failed = converted.some((event) => event.type === 'error');
    return !failed && !handler.stopped?.();
  };
  let reading = true;
  // The chunk being framed goes to this batch; one visitor for the whole stream (no closure per chunk).
  let batch: EventBatch | null = null;
  const visit = (frame: string): boolean => (reading = read(frame, batch!));
  return new EventQueue(body, {
    chunk(chunk, events) {
      batch = events;
      try {
        framer.each(chunk, visit);
      } finally {
        batch = null;
      }
      return !reading;
    },
    end() {
      const events: StreamEvent[] = [];
      const rest = framer.rest();
      if (rest !== null && reading) read(rest, events);
      return failed ? events : [...events, ...handler.finish(sentinelSeen)];
    },
  });
}
