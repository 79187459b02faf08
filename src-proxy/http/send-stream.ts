/**
 * Streams a canonical answer to the client in the client's wire format, with keep-alive pings,
 * backpressure, an in-band terminal error on any failure after headers followed by a cut
 * connection (never a silent truncation, never a clean end after an error).
 */
import type { ChatResponse, StreamEvent } from '../canonical/types.ts';
import type { CanonicalStream } from '../providers/types.ts';
import { GatewayError, toGatewayError } from '../errors/codes.ts';
import type { Exchange } from './exchange.ts';
import { createStreamWriter, type StreamWriter } from './stream-writer.ts';
import { pollOf } from '../canonical/buffered-events.ts';

/** A dialect's stream format. Each method returns the bytes to write ('' for nothing). */
export interface StreamEncoder {
  readonly contentType: string;
  encode(event: StreamEvent): string;
  /** After the last event of a successful answer. */
  end(): string;
  /** In-band terminal error (the status is already 200). */
  error(error: GatewayError): string;
  ping(): string;
}

export function openStream(exchange: Exchange, contentType: string, extraHeaders: Record<string, string> = {}): StreamWriter {
  exchange.reply.hijack();
  exchange.streamOpened();
  exchange.reply.raw.writeHead(200, {
    'content-type': contentType,
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': exchange.id,
    ...extraHeaders,
  });
  return createStreamWriter(exchange.reply.raw);
}

export async function sendCanonicalStream(
  exchange: Exchange,
  events: AsyncIterable<StreamEvent>,
  encoder: StreamEncoder,
  options: { pingIntervalMs: number; dispose: () => void },
): Promise<void> {
  const writer = openStream(exchange, encoder.contentType);
  writer.startPings(options.pingIntervalMs, () => encoder.ping());
  let failed: GatewayError | null = null;
  // A draining stop writes its own in-band error (and ends the stream) from outside the loop.
  let terminated = false;
  exchange.track({
    terminate(error) {
      failed = error;
      terminated = true;
      writer.fail(encoder.error(error));
      exchange.abort.abort(error);
    },
  });
  const transcript: string[] | null = exchange.captureBodies ? [] : null;
  /**
   * The last frame (end or in-band error) leaves only once the history row is durable; after an
   * error the connection is cut instead of ended cleanly.
   */
  const conclude = async (outcome: GatewayError | null, last: string) => {
    // An answer whose end came with its last events (a short or fast one) leaves in one write.
    writer.hold();
    if (last) transcript?.push(last);
    if (transcript) exchange.captureResponse(transcript.join(''));
    await exchange.finishThenSend(200, outcome, () => (outcome ? writer.fail(last || undefined) : writer.end(last || undefined)));
  };
  const iterator = events[Symbol.asyncIterator]();
  // Events the upstream reader already decoded are taken without a promise each (a for-await
  // loop's semantics otherwise: the iterator is let go when the loop stops early).
  const poll = pollOf(iterator);
  let exhausted = false;
  try {
    try {
      for (;;) {
        if (writer.closed) break;
        let event = poll?.();
        if (event === undefined) {
          exhausted = true;
          const result = await iterator.next();
          if (result.done) break;
          exhausted = false;
          event = result.value;
        }
        if (event.type === 'usage') exchange.setUsage(event.usage);
        else if (event.type === 'text_delta' || event.type === 'thinking_delta' || event.type === 'tool_call_start') exchange.markFirstToken();
        if (event.type === 'error') {
          failed = new GatewayError('upstream_error', event.error.message, { status: event.error.status });
          break;
        }
        const text = encoder.encode(event);
        if (text) {
          transcript?.push(text);
          const drained = writer.write(text);
          if (drained) await drained;
        }
      }
    } catch (thrown) {
      failed ??= toGatewayError(thrown);
    }
    // Stopped early (client gone, in-band error, a throw of ours): the upstream is let go.
    if (!exhausted) {
      try {
        await iterator.return?.();
      } catch (thrown) {
        failed ??= toGatewayError(thrown);
      }
    }
    if (terminated) await conclude(failed, '');
    else if (failed) await conclude(failed, writer.closed ? '' : encoder.error(failed));
    // 'close' before we ended = the client went away mid-answer.
    else if (writer.closed) await conclude(new GatewayError('client_closed'), '');
    else await conclude(null, encoder.end());
  } finally {
    options.dispose();
    writer.end();
    // Recorded already unless something above threw; then this is the row (an error is built
    // only then: its stack trace cost every stream a few microseconds for nothing).
    if (!exchange.isFinished) exchange.finish(200, failed ?? new GatewayError('internal_error'));
  }
}

/**
 * A non-streaming answer from a translated route: collect the canonical events into one answer,
 * render the dialect's JSON, send it, record usage and timing. Always releases the upstream.
 */
export async function sendCanonicalJson(
  exchange: Exchange,
  stream: CanonicalStream,
  options: {
    collect: (events: AsyncIterable<StreamEvent>) => Promise<ChatResponse>;
    render: (response: ChatResponse) => unknown;
    contentType?: string;
  },
): Promise<void> {
  try {
    const response = await options.collect(stream.events);
    exchange.setUsage(response.usage);
    exchange.markFirstToken();
    const text = JSON.stringify(options.render(response));
    exchange.captureResponse(text);
    await exchange.sendAnswer(text, { 'content-type': options.contentType ?? 'application/json' });
  } finally {
    stream.dispose();
  }
}
