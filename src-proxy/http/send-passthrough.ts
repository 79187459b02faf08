/**
 * The same-dialect fast path's sending loop, shared by every dialect: the upstream's bytes go to
 * the client untouched, cut into complete frames (SSE events, NDJSON lines) so nothing is held
 * back and an in-band error never lands inside a half-written frame. Each dialect only says what
 * it looks at on the side (usage, the terminal frame, in-band errors) and how its in-band error
 * reads. A stream that ends before its terminal frame gets that error: never a silent truncation.
 */
import { GatewayError, toGatewayError } from '../errors/codes.ts';
import type { NativeStream } from '../providers/types.ts';
import type { Exchange } from './exchange.ts';
import { openStream } from './send-stream.ts';

export interface FrameSplitter {
  /** Complete frames in the bytes received so far; an incomplete tail is kept. */
  push(chunk: Buffer): Buffer[];
  /** A last frame the upstream never terminated, made whole, or null. */
  flush(): Buffer | null;
}

/** What a dialect looks at while its upstream's bytes pass through. One per request. */
export interface PassthroughTap {
  readonly contentType: string;
  splitter(): FrameSplitter;
  /** Keep-alive text written while the upstream is silent (omit for NDJSON: clients parse every line). */
  readonly ping?: string;
  /** Reads one frame on the side (usage, first token, end, errors); false holds it back. */
  frame(frame: Buffer): boolean;
  /** The terminal frame was seen: the answer is whole. */
  readonly complete: boolean;
  /** An error the upstream reported in-band (its bytes were forwarded as sent). */
  readonly error: GatewayError | null;
  /** After a chunk's frames were forwarded: an error that must end the stream now. */
  stopAfterChunk?(): GatewayError | null;
  /** Says in the client's own format that the answer failed. */
  inBandError(error: GatewayError): string;
  /** Why the stream is incomplete when it ends before the terminal frame. */
  readonly incompleteMessage: string;
}

export async function sendPassthroughStream(exchange: Exchange, native: NativeStream, tap: PassthroughTap, pingIntervalMs: number): Promise<void> {
  const writer = openStream(exchange, tap.contentType);
  if (tap.ping) writer.startPings(pingIntervalMs, () => tap.ping!);
  let failed: GatewayError | null = null;
  exchange.track({
    terminate(error) {
      failed = error;
      if (!writer.closed) void writer.write(tap.inBandError(error)).then(() => writer.end());
      exchange.abort.abort(error);
    },
  });
  const splitter = tap.splitter();
  const transcript: Buffer[] | null = exchange.captureBodies ? [] : null;
  const forward = async (frames: Buffer[]) => {
    const kept = frames.filter((frame) => tap.frame(frame));
    if (kept.length === 0) return;
    const out = kept.length === 1 ? kept[0]! : Buffer.concat(kept);
    transcript?.push(out);
    await writer.write(out);
  };
  try {
    for await (const chunk of native.body) {
      if (writer.closed) break;
      const frames = splitter.push(chunk);
      if (frames.length === 0) continue;
      await forward(frames);
      const stop = tap.stopAfterChunk?.();
      if (stop) {
        failed = stop;
        await writer.write(tap.inBandError(stop));
        break;
      }
    }
    const last = splitter.flush();
    if (last && !failed && !writer.closed) await forward([last]);
    // Always end on the dialect's terminal error when the upstream did not end properly, also
    // after an in-band upstream error (a Responses client still needs response.failed).
    if (!tap.complete && !failed && !writer.closed) {
      failed = tap.error ?? new GatewayError('upstream_disconnected', tap.incompleteMessage);
      await writer.write(tap.inBandError(failed));
    }
  } catch (thrown) {
    // After the terminal frame the answer is whole; a transport error past it changes nothing.
    if (!tap.complete && !failed) {
      failed = toGatewayError(thrown);
      if (!writer.closed) await writer.write(tap.inBandError(failed));
    }
  } finally {
    const outcome = failed ?? tap.error;
    const clientGone = writer.closed && !outcome && !tap.complete;
    native.response.dispose();
    writer.end();
    if (transcript) exchange.captureResponse(Buffer.concat(transcript).toString('utf8'));
    exchange.finish(200, outcome ?? (clientGone ? new GatewayError('client_closed') : null));
  }
}

/** A whole (non-streaming) upstream answer: read it, let the dialect tap it, send it unchanged. */
export async function sendPassthroughJson(exchange: Exchange, native: NativeStream, tap: (body: Buffer) => void, defaultContentType = 'application/json'): Promise<void> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of native.body) parts.push(chunk);
  } catch (thrown) {
    throw toGatewayError(thrown);
  }
  const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  exchange.markFirstToken();
  tap(body);
  if (exchange.captureBodies) exchange.captureResponse(body.toString('utf8'));
  const contentType = native.response.headers['content-type'];
  exchange.reply
    .code(200)
    .header('content-type', typeof contentType === 'string' ? contentType : defaultContentType)
    .header('x-request-id', exchange.id)
    .send(body);
  exchange.finish(200);
}

/** SSE events as frames. An event the upstream never terminated is dropped, not half-sent. */
export function sseSplitter(framer: { push(chunk: Buffer): Buffer[] }): FrameSplitter {
  return { push: (chunk) => framer.push(chunk), flush: () => null };
}

/** NDJSON: the complete lines of each chunk as one frame (a partial line waits for its end). */
export function lineSplitter(): FrameSplitter {
  let tail: Buffer | null = null;
  return {
    push(chunk) {
      const data = tail ? Buffer.concat([tail, chunk]) : chunk;
      const last = data.lastIndexOf(0x0a);
      if (last === -1) {
        tail = Buffer.from(data);
        return [];
      }
      tail = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : null;
      return [data.subarray(0, last + 1)];
    },
    flush() {
      const rest = tail;
      tail = null;
      return rest && rest.length > 0 ? Buffer.concat([rest, Buffer.from('\n')]) : null;
    },
  };
}

/** The JSON of an SSE event's data line, or null. */
export function sseDataJson(event: Buffer): Record<string, unknown> | null {
  const text = event.toString('utf8');
  const start = text.indexOf('data:');
  if (start === -1) return null;
  try {
    const value = JSON.parse(text.slice(start + 5).trim()) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
