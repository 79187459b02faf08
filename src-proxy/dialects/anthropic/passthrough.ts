/**
 * Same-dialect fast path for Anthropic clients on Anthropic upstreams: the upstream bytes go to
 * the client untouched (thinking signatures, cache hints, server-tool blocks, betas), framed per
 * SSE event so nothing is held back. Only message_start / message_delta / message_stop / error
 * events are looked at, by their `event:` line, to tap usage and notice the end; a stream that
 * stops before `message_stop` gets an in-band `event: error` rather than a silent truncation.
 */
import { GatewayError, toGatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { openStream } from '../../http/send-stream.ts';
import { AnthropicUsageTracker, mapAnthropicUsage, statusOfAnthropicErrorType, type AnthropicUsage } from '../../providers/anthropic/wire.ts';
import type { NativeStream } from '../../providers/types.ts';
import { SseFramer } from '../../upstream/sse-framer.ts';
import { extractLastObject } from '../openai/passthrough.ts';
import { anthropicStreamError } from './errors.ts';

const PING = 'event: ping\ndata: {"type":"ping"}\n\n';

function eventName(event: Buffer): string {
  const head = event.toString('latin1', 0, Math.min(event.length, 32));
  const match = /^event:\s?([a-z_]+)/.exec(head);
  return match?.[1] ?? '';
}

function dataJson(event: Buffer): Record<string, unknown> | null {
  const text = event.toString('utf8');
  const start = text.indexOf('data:');
  if (start === -1) return null;
  try {
    return JSON.parse(text.slice(start + 5).trim()) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export async function sendAnthropicPassthroughStream(exchange: Exchange, native: NativeStream, options: { pingIntervalMs: number }): Promise<void> {
  const writer = openStream(exchange, 'text/event-stream; charset=utf-8');
  writer.startPings(options.pingIntervalMs, () => PING);
  let failed: GatewayError | null = null;
  let sawStop = false;
  exchange.track({
    terminate(error) {
      failed = error;
      if (!writer.closed) void writer.write(anthropicStreamError(error)).then(() => writer.end());
      exchange.abort.abort(error);
    },
  });
  const framer = new SseFramer();
  const usage = new AnthropicUsageTracker();
  const transcript: Buffer[] | null = exchange.captureBodies ? [] : null;
  try {
    for await (const chunk of native.body) {
      if (writer.closed) break;
      const events = framer.push(chunk);
      if (events.length === 0) continue;
      for (const event of events) {
        switch (eventName(event)) {
          case 'message_start': {
            const message = dataJson(event)?.message as { usage?: AnthropicUsage } | undefined;
            if (message?.usage) exchange.setUsage(usage.add(message.usage));
            break;
          }
          case 'content_block_start':
          case 'content_block_delta':
            exchange.markFirstToken();
            break;
          case 'message_delta': {
            const delta = dataJson(event)?.usage as AnthropicUsage | undefined;
            if (delta) exchange.setUsage(usage.add(delta));
            break;
          }
          case 'message_stop':
            sawStop = true;
            break;
          case 'error': {
            const error = (dataJson(event)?.error ?? {}) as { type?: string; message?: string };
            failed = new GatewayError('upstream_error', error.message ?? 'The provider reported an error mid-stream', { status: statusOfAnthropicErrorType(error.type) });
            break;
          }
        }
      }
      const out = events.length === 1 ? events[0]! : Buffer.concat(events);
      transcript?.push(out);
      await writer.write(out);
    }
    if (!sawStop && !failed && !writer.closed) {
      failed = new GatewayError('upstream_disconnected', 'The provider stream ended before message_stop');
      await writer.write(anthropicStreamError(failed));
    }
  } catch (thrown) {
    if (!failed) {
      failed = toGatewayError(thrown);
      if (!writer.closed) await writer.write(anthropicStreamError(failed));
    }
  } finally {
    const clientGone = writer.closed && !failed && !sawStop;
    native.response.dispose();
    writer.end();
    if (transcript) exchange.captureResponse(Buffer.concat(transcript).toString('utf8'));
    exchange.finish(200, failed ?? (clientGone ? new GatewayError('client_closed') : null));
  }
}

/** Non-streaming answers (messages and count_tokens): the body as sent, usage read on the side. */
export async function sendAnthropicPassthroughJson(exchange: Exchange, native: NativeStream, options: { countTokens: boolean }): Promise<void> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of native.body) parts.push(chunk);
  } catch (thrown) {
    throw toGatewayError(thrown);
  }
  const body = Buffer.concat(parts);
  exchange.markFirstToken();
  const text = body.toString('utf8');
  if (options.countTokens) {
    // {"input_tokens": N}: the history row shows the count as its input tokens.
    const count = /"input_tokens"\s*:\s*(\d+)/.exec(text);
    if (count) exchange.setUsage({ inputTokens: Number(count[1]), outputTokens: 0 });
  } else {
    const usage = extractLastObject(text, 'usage');
    if (usage && typeof usage === 'object') exchange.setUsage(mapAnthropicUsage(usage as AnthropicUsage));
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
