/**
 * The same-dialect fast path's sending loop, shared by every dialect: the upstream's bytes go to
 * the client untouched, cut into complete frames (SSE events, NDJSON lines) so nothing is held
 * back and an in-band error never lands inside a half-written frame. Each dialect only says what
 * it looks at on the side (usage, the terminal frame, in-band errors) and how its in-band error
 * reads. A stream that ends before its terminal frame gets that error: never a silent truncation.
 * After any error (the upstream's in-band one included) the connection is cut without a clean end.
 */
import { GatewayError, toGatewayError } from '../errors/codes.ts';
import type { NativeStream } from '../providers/types.ts';
import type { Exchange } from './exchange.ts';
import { openStream } from './send-stream.ts';
import { watchFrames } from './passthrough-loops.ts';
import { loopNotice } from '../taps/text-loop-tap.ts';
import { wholeBodyInHand, type ChunkPoll } from '../upstream/http-client.ts';

export interface FrameSplitter {
  /** Appends the complete frames in the bytes received so far to `frames`; an incomplete tail is kept. */
  push(chunk: Buffer, frames: Buffer[]): void;
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
  /**
   * True when the upstream's own in-band error already tells this format's clients everything
   * (OpenAI `{"error"}` chunk, Anthropic `error` event, Ollama error line): nothing is added after
   * it. Responses clients still need `response.failed`, so that tap leaves this unset.
   */
  readonly upstreamErrorIsFinal?: boolean;
  /** Says in the client's own format that the answer failed. */
  inBandError(error: GatewayError): string;
  /** Why the stream is incomplete when it ends before the terminal frame. */
  readonly incompleteMessage: string;
  /** The answer text a frame holds, for loop detection ('' when none): a byte search, no parse. */
  text?(frame: Buffer): string;
  /** Ends the answer normally after a loop cut: `notice` as its last text, then the dialect's own finish. */
  endWithText?(notice: string): string;
  /** Frames are blocks of NDJSON lines: a loop cut splits them into lines so it can stop after the right one. */
  readonly lines?: boolean;
}

/**
 * A dialect's tap as it builds itself: `complete` and `error` are plain fields its own `frame`
 * sets, never getters. An object literal with a `get` allocates a V8 AccessorPair in OLD space
 * (Factory::NewAccessorPair, AllocationType::kOld) pointing at the getter closure: once the tap
 * is dead that pair stays a root for every scavenge until the next mark-compact, so the closure,
 * its context (the exchange) and everything the stream reached were promoted (README, Performance).
 */
export type OpenTap = PassthroughTap & { complete: boolean; error: GatewayError | null };

export async function sendPassthroughStream(exchange: Exchange, native: NativeStream, tap: PassthroughTap, pingIntervalMs: number): Promise<void> {
  const writer = openStream(exchange, tap.contentType);
  if (tap.ping) writer.startPings(pingIntervalMs, () => tap.ping!);
  let failed: GatewayError | null = null;
  // A draining stop writes its own in-band error (and ends the stream) from outside the loop.
  let terminated = false;
  exchange.track({
    terminate(error) {
      failed = error;
      terminated = true;
      writer.fail(tap.inBandError(error));
      exchange.abort.abort(error);
    },
  });
  const splitter = tap.splitter();
  // Text loops (routeChat set the watch when detection is on for this session).
  const loops = exchange.loopWatch && tap.text && tap.endWithText ? watchFrames(exchange, exchange.loopWatch, tap.text) : null;
  let cut = false;
  const transcript: Buffer[] | null = exchange.captureBodies ? [] : null;
  // A cache miss keeps the upstream's own bytes (before any frame is held back from the client).
  const received: Buffer[] | null = exchange.keepAnswer ? [] : null;
  let concluded = false;
  /**
   * The answer's last frame (terminal or in-band error) leaves only once its history row is
   * durable; after an error the connection is cut instead of ended cleanly.
   */
  const conclude = async (outcome: GatewayError | null, last: Buffer | string | null) => {
    concluded = true;
    // What is queued leaves before the bookkeeping (history row, limits), not after it.
    writer.flush();
    if (last) transcript?.push(typeof last === 'string' ? Buffer.from(last) : last);
    if (transcript) exchange.captureResponse(Buffer.concat(transcript).toString('utf8'));
    await exchange.finishThenSend(200, outcome, () => {
      if (outcome) writer.fail(last ?? undefined);
      else if (last && !writer.closed) void writer.write(last);
    });
  };
  // Until the first frame with answer text went out (a tap without a text reader: nothing to wait for).
  let firstText = !tap.text;
  const one: Buffer[] = [];
  // One array object for every batch of the stream (arrays per chunk and per batch were most of its
  // garbage). Emptied with `length = 0`, which also drops its backing store (V8 frees the elements
  // of an array set to length 0): a batch of n frames allocates one store of ~n slots again. A
  // count kept beside the arrays instead was measured on the loop detector's arrays: no gain
  // (README, Performance, "Where a same-dialect stream's time goes now").
  const kept: Buffer[] = [];
  /** A loop was found: up to the frame that completed it, then the notice and a normal finish; the upstream is let go. */
  const cutLoop = async (out: Buffer) => {
    transcript?.push(out);
    await writer.write(out);
    return conclude(null, tap.endWithText!(loopNotice(loops!.count)));
  };
  /**
   * Taps and writes one batch of frames. Synchronous unless it must wait (the socket drains, the
   * answer concludes, a loop cut): a promise only then, and an indexed loop, since as an async
   * function with a for-of it made an iterator result per frame and a promise per batch.
   */
  const forward = (frames: Buffer[]): Promise<void> | undefined => {
    kept.length = 0;
    for (let f = 0; f < frames.length; f++) {
      const frame = frames[f]!;
      if (!tap.frame(frame)) continue;
      // Frame by frame, tapped then checked: nothing past a loop cut is read by the tap.
      let parts = one;
      if (loops && tap.lines) parts = splitLines(frame);
      else one[0] = frame;
      const loopAt = loops ? loops.check(parts) : -1;
      if (loopAt !== -1) {
        cut = true;
        for (let i = 0; i <= loopAt; i++) kept.push(parts[i]!);
        return cutLoop(join(kept));
      }
      for (let i = 0; i < parts.length; i++) kept.push(parts[i]!);
      // The first answer text leaves at once, not with the rest of its batch (time to first token),
      // unless it ends the answer: a last frame waits for its history row.
      if (!firstText && (loops ? loops.chars > 0 : tap.text!(frame) !== '')) {
        firstText = true;
        if (!tap.complete) {
          const out = join(kept);
          kept.length = 0;
          transcript?.push(out);
          writer.writeNow(out);
        }
      }
    }
    if (kept.length === 0) return undefined;
    if (tap.complete && !concluded) return conclude(tap.error, join(kept));
    const out = join(kept);
    transcript?.push(out);
    return writer.write(out);
  };
  const chunks = native.body[Symbol.asyncIterator]();
  // Chunks the upstream reader already holds (a fast answer: often all of it) are taken without a
  // promise each and forwarded as one batch (upstream/dispatch-answer.ts).
  const poll = typeof (chunks as Partial<ChunkPoll>).poll === 'function' ? () => (chunks as unknown as ChunkPoll).poll() : null;
  const frames: Buffer[] = [];
  const take = (chunk: Buffer) => {
    received?.push(chunk);
    splitter.push(chunk, frames);
  };
  let ended = false;
  try {
    try {
      try {
        for (;;) {
          if (writer.closed || cut) break;
          let result: IteratorResult<Buffer>;
          try {
            result = await chunks.next();
          } catch (thrown) {
            ended = true;
            throw thrown;
          }
          if (result.done) {
            ended = true;
            break;
          }
          frames.length = 0;
          take(result.value);
          // Until the first answer text went out, chunk by chunk: the rest of the read waits, not it.
          for (let more = firstText ? poll?.() : undefined; more !== undefined; more = poll!()) take(more);
          if (frames.length === 0) continue;
          const wait = forward(frames);
          if (wait) await wait;
          const stop = tap.stopAfterChunk?.();
          if (stop) {
            failed = stop;
            break;
          }
        }
      } finally {
        // Stopped early (as a for-await loop would): the upstream body is let go.
        if (!ended) await chunks.return?.();
      }
      const last = splitter.flush();
      if (last && !failed && !cut && !writer.closed) await forward([last]);
    } catch (thrown) {
      // After the terminal frame the answer is whole; a transport error past it changes nothing.
      if (!tap.complete) failed ??= toGatewayError(thrown);
    }
    // Only a whole answer the client got as the provider sent it is kept (not one cut for looping).
    if (received && tap.complete && !tap.error && !failed && !cut) exchange.keepAnswer!.keep(Buffer.concat(received));
    if (!concluded) {
      if (terminated) await conclude(failed, null);
      else if (failed) await conclude(failed, writer.closed ? null : tap.inBandError(failed));
      // 'close' before the terminal frame = the client went away mid-answer.
      else if (writer.closed) await conclude(tap.error ?? new GatewayError('client_closed'), null);
      else {
        // Always end on the dialect's terminal error when the upstream did not end properly, also
        // after an in-band upstream error (a Responses client still needs response.failed).
        failed = tap.error ?? new GatewayError('upstream_disconnected', tap.incompleteMessage);
        await conclude(failed, tap.error && tap.upstreamErrorIsFinal ? null : tap.inBandError(failed));
      }
    }
  } finally {
    // Every fast-path stream is watched: without this its 24 KB of detector tables were garbage per stream.
    loops?.release();
    native.response.dispose();
    writer.end();
    // Recorded already unless something above threw; then this is the row (the error is built only
    // then: an Error captures a stack trace, a cost every answer would pay for nothing).
    if (!exchange.isFinished) exchange.finish(200, failed ?? tap.error ?? new GatewayError('internal_error'));
  }
}

/** A whole (non-streaming) upstream answer: read it, let the dialect tap it, send it unchanged. */
export async function sendPassthroughJson(exchange: Exchange, native: NativeStream, tap: (body: Buffer) => void, defaultContentType = 'application/json'): Promise<void> {
  // A small answer is usually here whole by now: taken without a promise per chunk.
  const body = wholeBodyInHand(native.body) ?? (await readWhole(native.body));
  exchange.markFirstToken();
  tap(body);
  if (exchange.captureBodies) exchange.captureResponse(body.toString('utf8'));
  const contentType = native.response.headers['content-type'];
  await exchange.sendAnswer(body, { 'content-type': typeof contentType === 'string' ? contentType : defaultContentType });
  exchange.keepAnswer?.keep(body);
}

/** A body read to its end (transport errors as gateway errors). */
async function readWhole(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of body) parts.push(chunk);
  } catch (thrown) {
    throw toGatewayError(thrown);
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** A whole answer's bytes as the one-chunk body a wire format's event reader takes. */
export async function* wholeBody(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

/** A whole non-streaming answer's JSON object (a reader of a kept answer throws on anything else). */
export function answerJson(bytes: Buffer): Record<string, unknown> {
  const value = JSON.parse(bytes.toString('utf8')) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new GatewayError('upstream_bad_response', 'The provider answer is not a JSON object');
  return value as Record<string, unknown>;
}

/** SSE events as frames. An event the upstream never terminated is dropped, not half-sent. */
export function sseSplitter(framer: { pushInto(chunk: Buffer, events: Buffer[]): void }): FrameSplitter {
  return { push: (chunk, frames) => framer.pushInto(chunk, frames), flush: () => null };
}

/** NDJSON: the complete lines of each chunk as one frame (a partial line waits for its end). */
export function lineSplitter(): FrameSplitter {
  let tail: Buffer | null = null;
  return {
    push(chunk, frames) {
      const data = tail ? Buffer.concat([tail, chunk]) : chunk;
      const last = data.lastIndexOf(0x0a);
      if (last === -1) {
        tail = Buffer.from(data);
        return;
      }
      tail = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : null;
      frames.push(last + 1 === data.length ? data : data.subarray(0, last + 1));
    },
    flush() {
      const rest = tail;
      tail = null;
      return rest && rest.length > 0 ? Buffer.concat([rest, Buffer.from('\n')]) : null;
    },
  };
}

/** Frames as one buffer to write. */
function join(frames: Buffer[]): Buffer {
  return frames.length === 1 ? frames[0]! : Buffer.concat(frames);
}

/** A block of complete NDJSON lines as one frame per line. */
function splitLines(block: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < block.length) {
    const end = block.indexOf(0x0a, start);
    const stop = end === -1 ? block.length : end + 1;
    lines.push(block.subarray(start, stop));
    start = stop;
  }
  return lines;
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
