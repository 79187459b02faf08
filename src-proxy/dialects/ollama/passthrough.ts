/**
 * Same-dialect fast path for Ollama clients on an Ollama upstream: the upstream's bytes go to the
 * client untouched, line by line (a partial line is held until complete, so an in-band error
 * never lands inside one), and are tapped on the side: the first line marks the first token,
 * the `done: true` line gives the token counts, a `{"error": …}` line marks the answer failed.
 * A stream that ends without its `done` line gets an in-band error line.
 */
import { GatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { lineSplitter, sendPassthroughJson, sendPassthroughStream, type OpenTap } from '../../http/send-passthrough.ts';
import { stringsAfter } from '../../http/frame-text.ts';
import { mapOllamaUsage } from '../../wire/ollama/usage.ts';
import type { NativeStream } from '../../providers/types.ts';
import { ollamaStreamError } from './errors.ts';

const DONE_MARKERS = [Buffer.from('"done":true'), Buffer.from('"done": true')];
const ERROR_MARKER = Buffer.from('"error"');
const CONTENT_KEY = Buffer.from('"content":');

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

/** Exported for the scavenge-retention test (test/perf/scavenge-retention.test.ts). */
export function ollamaTap(exchange: Exchange): OpenTap {
  // `complete` and `error` are plain fields, not getters (OpenTap says why).
  const tap: OpenTap = {
    complete: false,
    error: null,
    contentType: 'application/x-ndjson',
    // Ollama ends its last line with "\n"; a server that does not still sent a whole line.
    splitter: lineSplitter,
    frame(block) {
      exchange.markFirstToken();
      const facts = inspect(exchange, block);
      if (facts.done) tap.complete = true;
      if (facts.error) tap.error = facts.error;
      return true;
    },
    upstreamErrorIsFinal: true,
    inBandError: ollamaStreamError,
    incompleteMessage: 'The Ollama stream ended without its final "done" line',
    lines: true,
    text: (line) => stringsAfter(line, CONTENT_KEY),
    endWithText(notice) {
      const head = { model: exchange.upstreamModel ?? '', created_at: new Date().toISOString() };
      const line = (value: Record<string, unknown>) => `${JSON.stringify({ ...head, ...value })}\n`;
      return line({ message: { role: 'assistant', content: notice }, done: false }) + line({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' });
    },
  };
  return tap;
}

/** NDJSON streams send no keep-alive bytes: Ollama clients parse every line. */
export function sendOllamaPassthroughStream(exchange: Exchange, native: NativeStream): Promise<void> {
  return sendPassthroughStream(exchange, native, ollamaTap(exchange), 0);
}

/** Non-streaming answer (or /api/embed): read whole, tap the counts, send unchanged. */
export function sendOllamaPassthroughJson(exchange: Exchange, native: NativeStream): Promise<void> {
  return sendPassthroughJson(
    exchange,
    native,
    (body) => {
      // Find the counts without parsing the whole body (an embeddings answer can be megabytes).
      const text = body.toString('latin1');
      exchange.setUsage(mapOllamaUsage({ prompt_eval_count: countField(text, 'prompt_eval_count'), eval_count: countField(text, 'eval_count') }));
    },
    'application/json; charset=utf-8',
  );
}
