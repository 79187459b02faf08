/**
 * Same-dialect fast path for OpenAI clients on OpenAI-compatible upstreams (the shared loop is
 * http/send-passthrough.ts). Tapped on the side: usage (the chunk Switchboard asked for is removed
 * again when the client did not ask for it), `[DONE]`, and in-band `{"error": …}` chunks.
 */
import { GatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import type { AnswerReader } from '../../http/route-chat.ts';
import { answerJson, sendPassthroughJson, sendPassthroughStream, sseDataJson, sseSplitter, wholeBody, type OpenTap } from '../../http/send-passthrough.ts';
import { mapOpenAiUsage, openAiCompletionEvents, openAiStreamEvents } from '../../wire/openai/chat-events.ts';
import type { NativeStream } from '../../providers/types.ts';
import { SseFramer } from '../../upstream/sse-framer.ts';
import { tailUsage } from '../../wire/json-tail.ts';
import { openAiStreamError } from './errors.ts';
import { stringsAfter } from '../../http/frame-text.ts';
import { frameMarker, holds, holdsLine } from '../../http/frame-marker.ts';

const USAGE_MARKER = frameMarker('"usage":{', '{');
const DONE_MARKER = frameMarker('data: [DONE]', '[');
const EMPTY_CHOICES = Buffer.from('"choices":[]');
const ERROR_MARKER = frameMarker('{"error"', '{');
const CONTENT_KEY = Buffer.from('"content":');

/** Exported for the scavenge-retention test (test/perf/scavenge-retention.test.ts). */
export function openAiTap(exchange: Exchange, clientWantsUsage: boolean): OpenTap {
  // `complete` and `error` are plain fields, not getters (OpenTap says why).
  const tap: OpenTap = {
    complete: false,
    error: null,
    contentType: 'text/event-stream; charset=utf-8',
    splitter: () => sseSplitter(new SseFramer()),
    ping: ': ping\n\n',
    frame(event) {
      exchange.markFirstToken();
      // After an in-band error no [DONE]: the stream ends on the error and is then cut. Only the
      // stream's own [DONE] line ends it: an answer may quote those words in its text.
      if (holdsLine(event, DONE_MARKER)) {
        if (tap.error) return false;
        tap.complete = true;
      }
      else if (holds(event, USAGE_MARKER)) {
        const json = sseDataJson(event);
        if (json?.usage && typeof json.usage === 'object') exchange.setUsage(mapOpenAiUsage(json.usage as Record<string, never>));
        if (!clientWantsUsage && event.indexOf(EMPTY_CHOICES) !== -1) return false;
      } else if (holds(event, ERROR_MARKER)) {
        const upstream = sseDataJson(event)?.error as { message?: string } | undefined;
        if (upstream) tap.error = new GatewayError('upstream_error', upstream.message ?? 'The provider reported an error mid-stream');
      }
      return true;
    },
    upstreamErrorIsFinal: true,
    inBandError: openAiStreamError,
    incompleteMessage: 'The provider stream ended before [DONE]',
    text: (event) => stringsAfter(event, CONTENT_KEY),
    endWithText(notice) {
      const created = Math.floor(Date.now() / 1000);
      const model = exchange.upstreamModel ?? '';
      const chunk = (choice: Record<string, unknown>) => `data: ${JSON.stringify({ id: 'chatcmpl-switchboard', object: 'chat.completion.chunk', created, model, choices: [choice] })}\n\n`;
      return `${chunk({ index: 0, delta: { content: notice }, finish_reason: null })}${chunk({ index: 0, delta: {}, finish_reason: 'stop' })}data: [DONE]\n\n`;
    },
  };
  return tap;
}

export function sendOpenAiPassthroughStream(exchange: Exchange, native: NativeStream, options: { clientWantsUsage: boolean; pingIntervalMs: number }): Promise<void> {
  return sendPassthroughStream(exchange, native, openAiTap(exchange, options.clientWantsUsage), options.pingIntervalMs);
}

export function sendOpenAiPassthroughJson(exchange: Exchange, native: NativeStream): Promise<void> {
  return sendPassthroughJson(exchange, native, (body) => {
    const usage = tailUsage(body);
    if (usage) exchange.setUsage(mapOpenAiUsage(usage));
  });
}

/** A chat answer as the provider sent it (its SSE chunks, or one chat.completion) read back into events, for the response cache. */
export const readOpenAiChatAnswer: AnswerReader = (bytes, stream) => (stream ? openAiStreamEvents(wholeBody(bytes)) : openAiCompletionEvents(answerJson(bytes)));
