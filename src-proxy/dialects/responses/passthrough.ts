/**
 * Responses fast path (a Responses client on an upstream that offers /v1/responses): the
 * upstream's bytes go to the client untouched, framed per SSE event so nothing is held back.
 * Only the terminal event is parsed — for usage (history) and, when the response is to be kept,
 * for its output items. A stream that ends without a terminal event gets an in-band `error` +
 * `response.failed`, because Codex treats a stream without `response.completed` as broken.
 */
import type { Usage } from '../../canonical/types.ts';
import { GatewayError, toGatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { openStream } from '../../http/send-stream.ts';
import type { NativeStream } from '../../providers/types.ts';
import { SseFramer } from '../../upstream/sse-framer.ts';
import { isRecord } from '../shared/validate.ts';
import { responsesErrorCode, responsesErrorMessage, sseEvent } from './errors.ts';

const TERMINAL_MARKERS = ['"type":"response.completed"', '"type":"response.incomplete"', '"type":"response.failed"'].map((marker) => Buffer.from(marker));
const ERROR_MARKER = Buffer.from('"type":"error"');
const SEQUENCE = /"sequence_number":(\d+)/;
const RESPONSE_ID = /"id":"(resp_[^"]+)"/;

/** Responses usage → canonical usage. */
export function mapResponsesUsage(usage: unknown): Partial<Usage> {
  if (!isRecord(usage)) return {};
  const mapped: Partial<Usage> = {};
  if (typeof usage.input_tokens === 'number') mapped.inputTokens = usage.input_tokens;
  if (typeof usage.output_tokens === 'number') mapped.outputTokens = usage.output_tokens;
  const cached = isRecord(usage.input_tokens_details) ? usage.input_tokens_details.cached_tokens : undefined;
  if (typeof cached === 'number' && cached > 0) mapped.cacheReadTokens = cached;
  const reasoning = isRecord(usage.output_tokens_details) ? usage.output_tokens_details.reasoning_tokens : undefined;
  if (typeof reasoning === 'number' && reasoning > 0) mapped.reasoningTokens = reasoning;
  return mapped;
}

function dataJson(event: Buffer): Record<string, unknown> | null {
  const text = event.toString('utf8');
  const start = text.indexOf('data:');
  if (start === -1) return null;
  try {
    const value = JSON.parse(text.slice(start + 5).trim()) as unknown;
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

export interface PassthroughOptions {
  pingIntervalMs: number;
  /** Called with a completed (or incomplete) response object, to keep it. */
  onResponse?(response: Record<string, unknown>): void;
}

export async function sendResponsesPassthroughStream(exchange: Exchange, native: NativeStream, options: PassthroughOptions): Promise<void> {
  const writer = openStream(exchange, 'text/event-stream; charset=utf-8');
  writer.startPings(options.pingIntervalMs, () => ': ping\n\n');
  let failed: GatewayError | null = null;
  let terminal = false;
  let responseId: string | null = null;
  let lastSequence = -1;
  const inBandError = (error: GatewayError): string => {
    const code = responsesErrorCode(error);
    const message = responsesErrorMessage(error);
    const response = { id: responseId ?? 'resp_unknown', object: 'response', status: 'failed', error: { code, message }, output: [] };
    const errorEvent = sseEvent('error', JSON.stringify({ type: 'error', sequence_number: ++lastSequence, code, message, param: null }));
    // A blank line first, so a half-written upstream event cannot swallow ours.
    return `\n\n${errorEvent}${sseEvent('response.failed', JSON.stringify({ type: 'response.failed', sequence_number: ++lastSequence, response }))}`;
  };
  exchange.track({
    terminate(error) {
      failed = error;
      if (!writer.closed) void writer.write(inBandError(error)).then(() => writer.end());
      exchange.abort.abort(error);
    },
  });
  const framer = new SseFramer();
  const transcript: Buffer[] | null = exchange.captureBodies ? [] : null;
  try {
    for await (const chunk of native.body) {
      if (writer.closed) break;
      const events = framer.push(chunk);
      if (events.length === 0) continue;
      exchange.markFirstToken();
      let keepFailed: GatewayError | null = null;
      for (const event of events) {
        if (responseId === null) responseId = RESPONSE_ID.exec(event.toString('utf8', 0, Math.min(event.length, 4096)))?.[1] ?? null;
        if (TERMINAL_MARKERS.some((marker) => event.indexOf(marker) !== -1)) {
          terminal = true;
          const json = dataJson(event);
          const response = isRecord(json?.response) ? json.response : null;
          if (response?.usage) exchange.setUsage(mapResponsesUsage(response.usage));
          if (response && (response.status === 'completed' || response.status === 'incomplete')) {
            try {
              options.onResponse?.(response);
            } catch (thrown) {
              // The client asked to keep it and it could not be kept: fail as the translated path does.
              keepFailed = failed = toGatewayError(thrown);
            }
          }
          if (response?.status === 'failed') {
            const error = isRecord(response.error) ? response.error : {};
            failed ??= new GatewayError('upstream_error', typeof error.message === 'string' ? error.message : 'The provider reported a failed response');
          }
        } else if (event.indexOf(ERROR_MARKER) !== -1) {
          const json = dataJson(event);
          failed = new GatewayError('upstream_error', typeof json?.message === 'string' ? json.message : 'The provider reported an error mid-stream');
        }
      }
      const last = events.at(-1)!;
      const sequence = SEQUENCE.exec(last.toString('utf8', 0, Math.min(last.length, 200)));
      if (sequence) lastSequence = Number(sequence[1]);
      const forward = keepFailed ? events.filter((event) => !TERMINAL_MARKERS.some((marker) => event.indexOf(marker) !== -1)) : events;
      const out = forward.length === 1 ? forward[0]! : Buffer.concat(forward);
      transcript?.push(out);
      await writer.write(out);
      if (keepFailed) {
        await writer.write(inBandError(keepFailed));
        break;
      }
    }
    if (!terminal && !writer.closed) {
      failed ??= new GatewayError('upstream_disconnected', 'The provider stream ended before response.completed');
      await writer.write(inBandError(failed));
    }
  } catch (thrown) {
    // After the terminal event the answer is whole; a transport error past it changes nothing.
    if (!terminal) {
      failed ??= toGatewayError(thrown);
      if (!writer.closed) await writer.write(inBandError(failed));
    }
  } finally {
    const clientGone = writer.closed && !failed && !terminal;
    native.response.dispose();
    writer.end();
    if (transcript) exchange.captureResponse(Buffer.concat(transcript).toString('utf8'));
    exchange.finish(200, failed ?? (clientGone ? new GatewayError('client_closed') : null));
  }
}

export async function sendResponsesPassthroughJson(exchange: Exchange, native: NativeStream, options: { onResponse?(response: Record<string, unknown>): void }): Promise<void> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of native.body) parts.push(chunk);
  } catch (thrown) {
    throw toGatewayError(thrown);
  }
  const body = Buffer.concat(parts);
  exchange.markFirstToken();
  const text = body.toString('utf8');
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the client gets the bytes as sent; nothing to tap or keep.
  }
  if (isRecord(parsed)) {
    if (parsed.usage) exchange.setUsage(mapResponsesUsage(parsed.usage));
    if (parsed.status === 'completed' || parsed.status === 'incomplete') options.onResponse?.(parsed);
  }
  exchange.captureResponse(text);
  const contentType = native.response.headers['content-type'];
  exchange.reply
    .code(200)
    .header('content-type', typeof contentType === 'string' ? contentType : 'application/json')
    .header('x-request-id', exchange.id)
    .send(body);
  exchange.finish(200);
}
