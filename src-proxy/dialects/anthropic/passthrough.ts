/**
 * Same-dialect fast path for Anthropic clients on Anthropic upstreams (the shared loop is
 * http/send-passthrough.ts): thinking signatures, cache hints, server-tool blocks and betas go
 * through untouched. Only message_start / message_delta / message_stop / error events are looked
 * at, by their `event:` line, to tap usage and notice the end.
 */
import { GatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { answerJson, sendPassthroughJson, sendPassthroughStream, sseDataJson, sseSplitter, wholeBody, type OpenTap } from '../../http/send-passthrough.ts';
import type { AnswerReader } from '../../http/route-chat.ts';
import { createSignatureCache } from '../../canonical/signature-cache.ts';
import { anthropicMessageEvents, anthropicStreamEvents } from '../../wire/anthropic/messages-events.ts';
import { stringsAfter } from '../../http/frame-text.ts';
import { AnthropicUsageTracker, mapAnthropicUsage, type AnthropicUsage } from '../../wire/anthropic/messages.ts';
import { statusOfAnthropicErrorType } from '../../wire/anthropic/errors.ts';
import type { NativeStream } from '../../providers/types.ts';
import { SseFramer } from '../../upstream/sse-framer.ts';
import { tailUsage } from '../../wire/json-tail.ts';
import { anthropicStreamError } from './errors.ts';

function eventName(event: Buffer): string {
  const head = event.toString('latin1', 0, Math.min(event.length, 32));
  return /^event:\s?([a-z_]+)/.exec(head)?.[1] ?? '';
}

const TEXT_DELTA = Buffer.from('"text_delta"');
const TEXT_KEY = Buffer.from('"text":');
const INDEX = /"index":(\d+)/;

function blockIndex(event: Buffer): number {
  return Number(INDEX.exec(event.toString('latin1', 0, Math.min(event.length, 200)))?.[1] ?? 0);
}

function sse(name: string, data: Record<string, unknown>): string {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
}

/** Exported for the scavenge-retention test (test/perf/scavenge-retention.test.ts). */
export function anthropicTap(exchange: Exchange): OpenTap {
  const usage = new AnthropicUsageTracker();
  // The open content block and the next free index, for a loop cut's closing events.
  let open: number | null = null;
  let next = 0;
  // `complete` and `error` are plain fields, not getters (OpenTap says why).
  const tap: OpenTap = {
    complete: false,
    error: null,
    contentType: 'text/event-stream; charset=utf-8',
    splitter: () => sseSplitter(new SseFramer()),
    ping: 'event: ping\ndata: {"type":"ping"}\n\n',
    frame(event) {
      switch (eventName(event)) {
        case 'message_start': {
          const message = sseDataJson(event)?.message as { usage?: AnthropicUsage } | undefined;
          if (message?.usage) exchange.setUsage(usage.add(message.usage));
          break;
        }
        case 'content_block_start':
          open = blockIndex(event);
          next = open + 1;
          exchange.markFirstToken();
          break;
        case 'content_block_delta':
          exchange.markFirstToken();
          break;
        case 'content_block_stop':
          open = null;
          break;
        case 'message_delta': {
          const delta = sseDataJson(event)?.usage as AnthropicUsage | undefined;
          if (delta) exchange.setUsage(usage.add(delta));
          break;
        }
        case 'message_stop':
          tap.complete = true;
          break;
        case 'error': {
          const upstream = (sseDataJson(event)?.error ?? {}) as { type?: string; message?: string };
          tap.error = new GatewayError('upstream_error', upstream.message ?? 'The provider reported an error mid-stream', { status: statusOfAnthropicErrorType(upstream.type) });
          break;
        }
      }
      return true;
    },
    upstreamErrorIsFinal: true,
    inBandError: anthropicStreamError,
    incompleteMessage: 'The provider stream ended before message_stop',
    text(event) {
      const at = event.indexOf(TEXT_DELTA);
      return at === -1 ? '' : stringsAfter(event, TEXT_KEY, at);
    },
    endWithText(notice) {
      // The open block may be thinking or a tool call: close it, and say the notice in a text block of its own.
      const index = next;
      return [
        open === null ? '' : sse('content_block_stop', { index: open }),
        sse('content_block_start', { index, content_block: { type: 'text', text: '' } }),
        sse('content_block_delta', { index, delta: { type: 'text_delta', text: notice } }),
        sse('content_block_stop', { index }),
        sse('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: exchange.usage?.outputTokens ?? 0 } }),
        sse('message_stop', {}),
      ].join('');
    },
  };
  return tap;
}

export function sendAnthropicPassthroughStream(exchange: Exchange, native: NativeStream, options: { pingIntervalMs: number }): Promise<void> {
  return sendPassthroughStream(exchange, native, anthropicTap(exchange), options.pingIntervalMs);
}

/** Non-streaming answers (messages and count_tokens): the body as sent, usage read on the side. */
export function sendAnthropicPassthroughJson(exchange: Exchange, native: NativeStream, options: { countTokens: boolean }): Promise<void> {
  return sendPassthroughJson(exchange, native, (body) => {
    if (options.countTokens) {
      // {"input_tokens": N}: the history row shows the count as its input tokens.
      const count = /"input_tokens"\s*:\s*(\d+)/.exec(body.toString('utf8'));
      if (count) exchange.setUsage({ inputTokens: Number(count[1]), outputTokens: 0 });
      return;
    }
    const usage = tailUsage(body);
    if (usage) exchange.setUsage(mapAnthropicUsage(usage as AnthropicUsage));
  });
}

/**
 * A Messages answer as the provider sent it (its SSE events, or one message) read back into
 * events, for the response cache. The client keeps its own thinking signatures on this path, so
 * nothing is remembered for later turns (a throwaway signature cache); the kept answer carries them.
 */
export const readAnthropicAnswer: AnswerReader = (bytes, stream) =>
  stream ? anthropicStreamEvents(wholeBody(bytes), createSignatureCache(1)) : anthropicMessageEvents(answerJson(bytes), createSignatureCache(1));
