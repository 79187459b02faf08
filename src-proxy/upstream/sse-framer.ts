import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into complete SSE events without decoding or copying more than needed.
 * Index-based: the tail of an incomplete event is kept and completed by the next chunk (no
 * re-splitting of the whole buffer, no sleeps). Accepts `\n\n` and `\r\n\r\n` separators.
 */
export class SseFramer {
  private tail: Buffer | null = null;

  /** Returns the complete events in `chunk` (each including its trailing blank line). */
  push(chunk: Buffer): Buffer[] {
    const events: Buffer[] = [];
    this.pushInto(chunk, events);
    return events;
  }

  /**
   * Appends the complete events in `chunk` to `events`: a caller that frames every chunk of a
   * stream reuses one array (an array per chunk, grown on its first push, was ~180 bytes of
   * garbage per upstream chunk).
   */
  pushInto(chunk: Buffer, events: Buffer[]): void {
    const data = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    let start = 0;
    let index = 0;
    while (index < data.length) {
      const nl = data.indexOf(0x0a, index);
      if (nl === -1) break;
      // An event ends at a line break followed by an empty line ("\n\n" or "\n\r\n").
      const next = nl + 1;
      if (next < data.length && data[next] === 0x0a) {
        events.push(slice(data, start, next + 1));
        start = index = next + 1;
      } else if (next + 1 < data.length && data[next] === 0x0d && data[next + 1] === 0x0a) {
        events.push(slice(data, start, next + 2));
        start = index = next + 2;
      } else {
        index = next;
      }
    }
    this.tail = start < data.length ? Buffer.from(data.subarray(start)) : null;
  }

  /** Bytes of an event that never got its terminating blank line. */
  rest(): Buffer | null {
    return this.tail;
  }
}

/**
 * An event's bytes: the chunk itself when the event is all of it (undici hands over each HTTP
 * chunk on its own, and an upstream that writes one event per chunk — most do — makes every
 * chunk one event), else a view. A Buffer view is an object V8 must build and collect: one per
 * event was a measurable share of a fast-path stream's garbage.
 */
function slice(data: Buffer, start: number, end: number): Buffer {
  return start === 0 && end === data.length ? data : data.subarray(start, end);
}

/**
 * The same framing over text, for readers that parse every event (upstream/event-queue.ts): one
 * UTF-8 decode per body chunk instead of a Buffer view and a decode per event, and the events are
 * slices of that text. A character split between chunks waits in the decoder for its rest.
 */
export class SseTextFramer {
  private readonly decoder = new StringDecoder('utf8');
  private tail = '';

  /**
   * Hands each complete event in `chunk` to `visit` (each including its trailing blank line),
   * without an array per chunk; stops at the first event `visit` answers false to (the reader
   * reads no more of the stream then, so the rest of the chunk is dropped).
   */
  each(chunk: Buffer, visit: (event: string) => boolean): void {
    const decoded = this.decoder.write(chunk);
    const data = this.tail === '' ? decoded : this.tail + decoded;
    this.tail = '';
    let start = 0;
    let index = 0;
    while (index < data.length) {
      const nl = data.indexOf('\n', index);
      if (nl === -1) break;
      // An event ends at a line break followed by an empty line ("\n\n" or "\n\r\n").
      const next = nl + 1;
      let end = -1;
      if (next < data.length && data.charCodeAt(next) === 0x0a) end = next + 1;
      else if (next + 1 < data.length && data.charCodeAt(next) === 0x0d && data.charCodeAt(next + 1) === 0x0a) end = next + 2;
      if (end === -1) {
        index = next;
        continue;
      }
      const event = data.slice(start, end);
      start = index = end;
      if (!visit(event)) return;
    }
    this.tail = start < data.length ? data.slice(start) : '';
  }

  /** Text of an event that never got its terminating blank line (with any bytes left undecoded). */
  rest(): string | null {
    const last = this.tail + this.decoder.end();
    this.tail = '';
    return last === '' ? null : last;
  }
}

export interface SseMessage {
  event: string | null;
  data: string;
}

/** Parses one framed event into its `event:` name and joined `data:` lines. Comments are skipped. */
export function parseSseEvent(raw: Buffer | string): SseMessage | null {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  let event: string | null = null;
  let data: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data = data === null ? value : `${data}\n${value}`;
    else if (field === 'event') event = value;
  }
  return data === null ? (event ? { event, data: '' } : null) : { event, data };
}

/** Reads newline-delimited JSON lines (Ollama streams). */
export async function* readNdjsonLines(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  // A multi-byte character may be split between chunks: decode with a StringDecoder.
  const decoder = new StringDecoder('utf8');
  let tail = '';
  for await (const chunk of body) {
    const text = tail + decoder.write(chunk);
    const lines = text.split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') yield line;
  }
  if (tail.trim() !== '') yield tail;
}
