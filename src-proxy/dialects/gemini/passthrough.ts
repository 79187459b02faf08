/**
 * Same-dialect fast path for Gemini clients on Gemini upstreams (the shared loop is
 * http/send-passthrough.ts). Tapped on the side: usage (a running total on every chunk: the last
 * wins), the finish reason (Gemini's stream has no terminator, so a chunk with one is the end)
 * and in-band `{"error": …}` events.
 */
import { GatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { sendPassthroughJson, sendPassthroughStream, sseDataJson, sseSplitter, type OpenTap } from '../../http/send-passthrough.ts';
import { stringsAfter } from '../../http/frame-text.ts';
import type { NativeStream } from '../../providers/types.ts';
import { SseFramer } from '../../upstream/sse-framer.ts';
import { mapGeminiUsage } from '../../wire/gemini/answer.ts';
import { extractLastObject } from '../../wire/json-tail.ts';
import type { GeminiResponse, GeminiUsageMetadata } from '../../wire/gemini/types.ts';
import { geminiSseError } from './errors.ts';

const USAGE_MARKER = Buffer.from('"usageMetadata"');
const FINISH_MARKER = Buffer.from('"finishReason"');
const ERROR_MARKER = Buffer.from('"error"');
const TEXT_KEY = Buffer.from('"text":');

/** Exported for the scavenge-retention test (test/perf/scavenge-retention.test.ts). */
export function geminiTap(exchange: Exchange): OpenTap {
  // `complete` and `error` are plain fields, not getters (OpenTap says why).
  const tap: OpenTap = {
    complete: false,
    error: null,
    contentType: 'text/event-stream',
    splitter: () => sseSplitter(new SseFramer()),
    ping: ': ping\r\n\r\n',
    frame(event) {
      exchange.markFirstToken();
      const hasUsage = event.indexOf(USAGE_MARKER) !== -1;
      const hasFinish = event.indexOf(FINISH_MARKER) !== -1;
      const hasError = event.indexOf(ERROR_MARKER) !== -1;
      if (!hasUsage && !hasFinish && !hasError) return true;
      const chunk = sseDataJson(event) as GeminiResponse | null;
      if (chunk?.usageMetadata) exchange.setUsage(mapGeminiUsage(chunk.usageMetadata));
      if (chunk?.candidates?.[0]?.finishReason) tap.complete = true;
      if (chunk?.error) tap.error = new GatewayError('upstream_error', chunk.error.message ?? 'The provider reported an error mid-stream', { status: chunk.error.code ?? 502 });
      return true;
    },
    inBandError: geminiSseError,
    incompleteMessage: 'The Gemini stream ended without a finish reason',
    text: (event) => stringsAfter(event, TEXT_KEY),
    endWithText(notice) {
      const chunk = { candidates: [{ content: { role: 'model', parts: [{ text: notice }] }, finishReason: 'STOP', index: 0 }], modelVersion: exchange.upstreamModel ?? '' };
      return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
    },
  };
  return tap;
}

export function sendGeminiPassthroughStream(exchange: Exchange, native: NativeStream, options: { pingIntervalMs: number }): Promise<void> {
  return sendPassthroughStream(exchange, native, geminiTap(exchange), options.pingIntervalMs);
}

/**
 * A whole answer (generateContent, countTokens, embeddings, or a stream the client asked for as
 * one JSON array): read it, tap the usage from its tail, send it unchanged.
 */
export function sendGeminiPassthroughJson(exchange: Exchange, native: NativeStream, options: { countTokens?: boolean } = {}): Promise<void> {
  return sendPassthroughJson(exchange, native, (body) => {
    const tail = body.subarray(Math.max(0, body.length - 4096)).toString('utf8');
    if (options.countTokens) {
      const match = /"totalTokens"\s*:\s*(\d+)/.exec(tail);
      if (match) exchange.setUsage({ inputTokens: Number(match[1]), outputTokens: 0 });
      return;
    }
    const usage = extractLastObject(tail, 'usageMetadata');
    if (usage && typeof usage === 'object') exchange.setUsage(mapGeminiUsage(usage as GeminiUsageMetadata));
  });
}
