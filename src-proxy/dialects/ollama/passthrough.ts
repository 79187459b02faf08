/**
 * Same-dialect fast path for Ollama clients on an Ollama upstream: the upstream's bytes go to the
 * client untouched, line by line (a partial line is held until complete, so an in-band error
 * never lands inside one), and are tapped on the side: the first line marks the first token,
 * the `done: true` line gives the token counts, a `{"error": …}` line marks the answer failed.
 * A stream that ends without its `done` line gets an in-band error line.
 */
import { GatewayError, toGatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { openStream } from '../../http/send-stream.ts';
import { mapOllamaUsage } from '../../providers/ollama/chat-events.ts';
import type { NativeStream } from '../../providers/types.ts';
import { ollamaStreamError } from './errors.ts';

const DONE_MARKERS = [Buffer.from('"done":true'), Buffer.from('"done": true')];
const ERROR_MARKER = Buffer.from('"error"');

function isDoneLine(line: Buffer): boolean {
  return DONE_MARKERS.some((marker) => line.indexOf(marker) !== -1);
}

function parseLine(line: Buffer): Record<string, unknown> | null {
  try {
    const value = JSON.parse(line.toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The integer value of the last top-level-looking `"key":` in JSON text, if any. */
function countField(text: string, key: string): number | undefined {
  const at = text.lastIndexOf(`"${key}":`);
  if (at === -1) return undefined;
  const match = /^\s*(\d+)/.exec(text.slice(at + key.length + 3, at + key.length + 40));
  return match ? Number(match[1]) : undefined;
}

/** Splits off the complete lines of `data`; returns them as one slice and the incomplete rest. */
function completeLines(data: Buffer): { lines: Buffer | null; rest: Buffer | null } {
  const last = data.lastIndexOf(0x0a);
  if (last === -1) return { lines: null, rest: data };
  return { lines: data.subarray(0, last + 1), rest: last + 1 < data.length ? data.subarray(last + 1) : null };
}

/** Reads the tap's facts from a block of complete lines (usually one line per chunk). */
function inspect(exchange: Exchange, block: Buffer): { done: boolean; error: GatewayError | null } {
  let done = false;
  let error: GatewayError | null = null;
  if (!isDoneLine(block) && block.indexOf(ERROR_MARKER) === -1) return { done, error };
  let start = 0;
  while (start < block.length) {
    const end = block.indexOf(0x0a, start);
    const line = block.subarray(start, end === -1 ? block.length : end);
    start = end === -1 ? block.length : end + 1;
    if (isDoneLine(line)) {
      const json = parseLine(line);
      if (json) exchange.setUsage(mapOllamaUsage(json));
      done = true;
    } else if (line.indexOf(ERROR_MARKER) !== -1) {
      const json = parseLine(line);
      if (json && typeof json.error === 'string') error = new GatewayError('upstream_error', `Ollama: ${json.error}`);
    }
  }
  return { done, error };
}

export async function sendOllamaPassthroughStream(exchange: Exchange, native: NativeStream): Promise<void> {
  const writer = openStream(exchange, 'application/x-ndjson');
  let failed: GatewayError | null = null;
  let sawDone = false;
  exchange.track({
    terminate(error) {
      failed = error;
      if (!writer.closed) void writer.write(ollamaStreamError(error)).then(() => writer.end());
      exchange.abort.abort(error);
    },
  });
  const transcript: Buffer[] | null = exchange.captureBodies ? [] : null;
  let tail: Buffer | null = null;
  try {
    for await (const chunk of native.body) {
      if (writer.closed) break;
      const { lines, rest } = completeLines(tail ? Buffer.concat([tail, chunk]) : chunk);
      tail = rest ? Buffer.from(rest) : null;
      if (!lines) continue;
      exchange.markFirstToken();
      const facts = inspect(exchange, lines);
      if (facts.done) sawDone = true;
      if (facts.error) failed = facts.error;
      transcript?.push(lines);
      await writer.write(lines);
    }
    // Ollama ends its last line with "\n"; a server that does not still sent a whole line.
    if (tail && !writer.closed) {
      const line = Buffer.concat([tail, Buffer.from('\n')]);
      const facts = inspect(exchange, line);
      if (facts.done) sawDone = true;
      if (facts.error) failed = facts.error;
      transcript?.push(line);
      await writer.write(line);
    }
    if (!sawDone && !failed && !writer.closed) {
      failed = new GatewayError('upstream_disconnected', 'The Ollama stream ended without its final "done" line');
      await writer.write(ollamaStreamError(failed));
    }
  } catch (thrown) {
    if (!failed) {
      failed = toGatewayError(thrown);
      if (!writer.closed) await writer.write(ollamaStreamError(failed));
    }
  } finally {
    const clientGone = writer.closed && !failed;
    native.response.dispose();
    writer.end();
    if (transcript) exchange.captureResponse(Buffer.concat(transcript).toString('utf8'));
    exchange.finish(200, failed ?? (clientGone ? new GatewayError('client_closed') : null));
  }
}

/** Non-streaming answer (or /api/embed): read whole, tap the counts, send unchanged. */
export async function sendOllamaPassthroughJson(exchange: Exchange, native: NativeStream): Promise<void> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of native.body) parts.push(chunk);
  } catch (thrown) {
    throw toGatewayError(thrown);
  }
  const body = Buffer.concat(parts);
  exchange.markFirstToken();
  // Find the counts without parsing the whole body (an embeddings answer can be megabytes).
  const text = body.toString('latin1');
  exchange.setUsage(mapOllamaUsage({ prompt_eval_count: countField(text, 'prompt_eval_count'), eval_count: countField(text, 'eval_count') }));
  if (exchange.captureBodies) exchange.captureResponse(body.toString('utf8'));
  const contentType = native.response.headers['content-type'];
  exchange.reply
    .code(200)
    .header('content-type', typeof contentType === 'string' ? contentType : 'application/json; charset=utf-8')
    .header('x-request-id', exchange.id)
    .send(body);
  exchange.finish(200);
}
