/**
 * Responses fast path (a Responses client on an upstream that offers /v1/responses): the
 * upstream's bytes go to the client untouched, framed per SSE event so nothing is held back.
 * Only the terminal event is parsed — for usage (history) and, when the response is to be kept,
 * for its output items. A stream that ends without a terminal event gets an in-band `error` +
 * `response.failed`, because Codex treats a stream without `response.completed` as broken.
 */
import { withFields } from '../../wire/with-fields.ts';
import type { Usage } from '../../canonical/types.ts';
import { GatewayError, toGatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { sendPassthroughJson, sendPassthroughStream, sseDataJson, sseSplitter, type OpenTap } from '../../http/send-passthrough.ts';
import { stringsAfter } from '../../http/frame-text.ts';
import type { NativeStream } from '../../providers/types.ts';
import { SseFramer } from '../../upstream/sse-framer.ts';
import { isRecord } from '../../wire/validate.ts';
import { responsesErrorCode, responsesErrorMessage, sseEvent } from './errors.ts';
import { createOutputSoFar } from './cut-ending.ts';

const TERMINAL_MARKERS = ['"type":"response.completed"', '"type":"response.incomplete"', '"type":"response.failed"'].map((marker) => Buffer.from(marker));
const ERROR_MARKER = Buffer.from('"type":"error"');
const TEXT_DELTA = Buffer.from('"type":"response.output_text.delta"');
const DELTA_KEY = Buffer.from('"delta":');
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

export interface PassthroughOptions {
  pingIntervalMs: number;
  /** Called with a completed (or incomplete) response object, to keep it. */
  onResponse?(response: Record<string, unknown>): void;
}

function isTerminal(event: Buffer): boolean {
  return TERMINAL_MARKERS.some((marker) => event.indexOf(marker) !== -1);
}

/** Exported for the scavenge-retention test (test/perf/scavenge-retention.test.ts). */
export function responsesTap(exchange: Exchange, options: PassthroughOptions): OpenTap {
  let keepFailed: GatewayError | null = null;
  let responseId: string | null = null;
  let lastSequence = -1;
  /**
   * What a loop cut's ending needs (read only while loops are watched, in text()): the
   * response.created object, the items already done and the message text so far.
   */
  const soFar = createOutputSoFar();
  // `complete` and `error` are plain fields, not getters (OpenTap says why). An answer that could
  // not be kept is never complete.
  const tap: OpenTap = {
    complete: false,
    error: null,
    contentType: 'text/event-stream; charset=utf-8',
    splitter: () => sseSplitter(new SseFramer()),
    ping: ': ping\n\n',
    frame(event) {
      exchange.markFirstToken();
      if (responseId === null) responseId = RESPONSE_ID.exec(event.toString('utf8', 0, Math.min(event.length, 4096)))?.[1] ?? null;
      const sequence = SEQUENCE.exec(event.toString('utf8', 0, Math.min(event.length, 200)));
      if (sequence) lastSequence = Number(sequence[1]);
      if (isTerminal(event)) {
        tap.complete = keepFailed === null;
        const json = sseDataJson(event);
        const response = isRecord(json?.response) ? json.response : null;
        if (response?.usage) exchange.setUsage(mapResponsesUsage(response.usage));
        if (response && (response.status === 'completed' || response.status === 'incomplete')) {
          try {
            options.onResponse?.(response);
          } catch (thrown) {
            // The client asked to keep it and it could not be kept: fail as the translated path does.
            keepFailed = toGatewayError(thrown);
            tap.complete = false;
            return false;
          }
        }
        if (response?.status === 'failed') {
          const failure = isRecord(response.error) ? response.error : {};
          tap.error ??= new GatewayError('upstream_error', typeof failure.message === 'string' ? failure.message : 'The provider reported a failed response');
        }
      } else if (event.indexOf(ERROR_MARKER) !== -1) {
        const json = sseDataJson(event);
        tap.error = new GatewayError('upstream_error', typeof json?.message === 'string' ? json.message : 'The provider reported an error mid-stream');
      }
      return true;
    },
    stopAfterChunk: () => keepFailed,
    inBandError(failure) {
      const code = responsesErrorCode(failure);
      const message = responsesErrorMessage(failure);
      const response = { id: responseId ?? 'resp_unknown', object: 'response', status: 'failed', error: { code, message }, output: [] };
      const errorEvent = sseEvent('error', JSON.stringify({ type: 'error', sequence_number: ++lastSequence, code, message, param: null }));
      // A blank line first, so a half-written upstream event cannot swallow ours.
      return `\n\n${errorEvent}${sseEvent('response.failed', JSON.stringify({ type: 'response.failed', sequence_number: ++lastSequence, response }))}`;
    },
    incompleteMessage: 'The provider stream ended before response.completed',
    text(event) {
      if (event.indexOf(TEXT_DELTA) === -1) {
        soFar.other(event);
        return '';
      }
      const delta = stringsAfter(event, DELTA_KEY);
      soFar.delta(event, delta);
      return delta;
    },
    endWithText(notice) {
      const ending = soFar.end(notice, { id: responseId ?? 'resp_unknown', usage: exchange.usage });
      const events = ending.events.map((event) => sseEvent(event.type, JSON.stringify(withFields(event, { sequence_number: ++lastSequence })))).join('');
      const completed = { type: 'response.completed', sequence_number: ++lastSequence, response: ending.response };
      options.onResponse?.(ending.response);
      return `${events}${sseEvent('response.completed', JSON.stringify(completed))}`;
    },
  };
  return tap;
}

export function sendResponsesPassthroughStream(exchange: Exchange, native: NativeStream, options: PassthroughOptions): Promise<void> {
  return sendPassthroughStream(exchange, native, responsesTap(exchange, options), options.pingIntervalMs);
}

export function sendResponsesPassthroughJson(exchange: Exchange, native: NativeStream, options: { onResponse?(response: Record<string, unknown>): void }): Promise<void> {
  return sendPassthroughJson(exchange, native, (body) => {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      // Not JSON: the client gets the bytes as sent; nothing to tap or keep.
    }
    if (isRecord(parsed)) {
      if (parsed.usage) exchange.setUsage(mapResponsesUsage(parsed.usage));
      if (parsed.status === 'completed' || parsed.status === 'incomplete') options.onResponse?.(parsed);
    }
  });
}

