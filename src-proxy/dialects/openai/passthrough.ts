/**
 * Same-dialect fast path for OpenAI clients on OpenAI-compatible upstreams: the upstream bytes
 * go to the client untouched, framed per SSE event so nothing is held back, and are only tapped
 * on the side for usage and timing. The usage chunk Switchboard asked for is removed again when
 * the client did not ask for it. A stream that ends without `[DONE]` gets an in-band error.
 */
import { GatewayError, toGatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { openStream } from '../../http/send-stream.ts';
import { mapOpenAiUsage } from '../../providers/openai/chat-events.ts';
import type { NativeStream } from '../../providers/types.ts';
import { SseFramer } from '../../upstream/sse-framer.ts';
import { openAiStreamError } from './errors.ts';

const USAGE_MARKER = Buffer.from('"usage":{');
const USAGE_KEY = Buffer.from('"usage"');
const DONE_MARKER = Buffer.from('data: [DONE]');
const EMPTY_CHOICES = Buffer.from('"choices":[]');
const ERROR_MARKER = Buffer.from('{"error"');

/** Finds the JSON object value of the last `"key":` in text (bracket matching, string-aware). */
export function extractLastObject(text: string, key: string): unknown {
  const at = text.lastIndexOf(`"${key}"`);
  if (at === -1) return undefined;
  const start = text.indexOf('{', at);
  if (start === -1) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123) depth++;
    else if (ch === 125 && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, i + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
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

export async function sendOpenAiPassthroughStream(
  exchange: Exchange,
  native: NativeStream,
  options: { clientWantsUsage: boolean; pingIntervalMs: number },
): Promise<void> {
  const writer = openStream(exchange, 'text/event-stream; charset=utf-8');
  writer.startPings(options.pingIntervalMs, () => ': ping\n\n');
  let failed: GatewayError | null = null;
  let sawDone = false;
  exchange.track({
    terminate(error) {
      failed = error;
      if (!writer.closed) void writer.write(openAiStreamError(error)).then(() => writer.end());
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
      const forward: Buffer[] = [];
      for (const event of events) {
        if (event.indexOf(DONE_MARKER) !== -1) sawDone = true;
        else if (event.indexOf(USAGE_MARKER) !== -1) {
          const json = dataJson(event);
          if (json?.usage && typeof json.usage === 'object') exchange.setUsage(mapOpenAiUsage(json.usage as Record<string, never>));
          if (!options.clientWantsUsage && event.indexOf(EMPTY_CHOICES) !== -1) continue;
        } else if (event.indexOf(ERROR_MARKER) !== -1) {
          const json = dataJson(event);
          const upstream = json?.error as { message?: string } | undefined;
          if (upstream) failed = new GatewayError('upstream_error', upstream.message ?? 'The provider reported an error mid-stream');
        }
        forward.push(event);
      }
      const out = forward.length === 1 ? forward[0]! : Buffer.concat(forward);
      transcript?.push(out);
      await writer.write(out);
    }
    if (!sawDone && !failed && !writer.closed) {
      failed = new GatewayError('upstream_disconnected', 'The provider stream ended before [DONE]');
      await writer.write(openAiStreamError(failed));
    }
  } catch (thrown) {
    if (!failed) {
      failed = toGatewayError(thrown);
      if (!writer.closed) await writer.write(openAiStreamError(failed));
    }
  } finally {
    const clientGone = writer.closed && !failed;
    native.response.dispose();
    writer.end();
    if (transcript) exchange.captureResponse(Buffer.concat(transcript).toString('utf8'));
    exchange.finish(200, failed ?? (clientGone ? new GatewayError('client_closed') : null));
  }
}

export async function sendOpenAiPassthroughJson(exchange: Exchange, native: NativeStream): Promise<void> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of native.body) parts.push(chunk);
  } catch (thrown) {
    throw toGatewayError(thrown);
  }
  const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  exchange.markFirstToken();
  // Decode only the tail that holds the usage object, not the whole answer.
  const at = body.lastIndexOf(USAGE_KEY);
  const usage = at === -1 ? undefined : extractLastObject(body.subarray(at).toString('utf8'), 'usage');
  if (usage && typeof usage === 'object') exchange.setUsage(mapOpenAiUsage(usage as Record<string, never>));
  if (exchange.captureBodies) exchange.captureResponse(body.toString('utf8'));
  const contentType = native.response.headers['content-type'];
  exchange.reply
    .code(200)
    .header('content-type', typeof contentType === 'string' ? contentType : 'application/json')
    .header('x-request-id', exchange.id)
    .send(body);
  exchange.finish(200);
}
