/**
 * Same-dialect fast path for Anthropic clients on Anthropic upstreams (the shared loop is
 * http/send-passthrough.ts): thinking signatures, cache hints, server-tool blocks and betas go
 * through untouched. Only message_start / message_delta / message_stop / error events are looked
 * at, by their `event:` line, to tap usage and notice the end.
 */
import { GatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { sendPassthroughJson, sendPassthroughStream, sseDataJson, sseSplitter, type PassthroughTap } from '../../http/send-passthrough.ts';
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

function anthropicTap(exchange: Exchange): PassthroughTap {
  const usage = new AnthropicUsageTracker();
  let complete = false;
  let error: GatewayError | null = null;
  return {
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
        case 'content_block_delta':
          exchange.markFirstToken();
          break;
        case 'message_delta': {
          const delta = sseDataJson(event)?.usage as AnthropicUsage | undefined;
          if (delta) exchange.setUsage(usage.add(delta));
          break;
        }
        case 'message_stop':
          complete = true;
          break;
        case 'error': {
          const upstream = (sseDataJson(event)?.error ?? {}) as { type?: string; message?: string };
          error = new GatewayError('upstream_error', upstream.message ?? 'The provider reported an error mid-stream', { status: statusOfAnthropicErrorType(upstream.type) });
          break;
        }
      }
      return true;
    },
    get complete() {
      return complete;
    },
    get error() {
      return error;
    },
    upstreamErrorIsFinal: true,
    inBandError: anthropicStreamError,
    incompleteMessage: 'The provider stream ended before message_stop',
  };
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
