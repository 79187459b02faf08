/**
 * Ollama answers (/api/chat and /api/generate, NDJSON lines or one JSON object) → canonical
 * events.
 *
 * Ollama quirks (docs/wire-formats.md, "Ollama"): tool calls arrive whole in one line, with object arguments
 * and often no id (ids are synthesised as call_<n>); `done_reason` has no tool value (after tool
 * calls it is still "stop", so the calls decide); token counts are only on the `done: true`
 * line; a failure after the stream started is a line `{"error": "…"}`.
 */
import { withFields } from '../../wire/with-fields.ts';
import { stringifyArguments } from '../../canonical/json-args.ts';
import type { FinishReason, StreamEvent } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { readNdjsonLines } from '../../upstream/sse-framer.ts';
import { mapOllamaUsage } from '../../wire/ollama/usage.ts';

interface OllamaToolCall {
  id?: string;
  function?: { name?: string; arguments?: unknown };
}

export class OllamaLineConverter {
  private started = false;
  private calls = 0;
  done = false;

  convert(line: Record<string, unknown>): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (typeof line.error === 'string' || (line.error && typeof line.error === 'object')) {
      const message = typeof line.error === 'string' ? line.error : JSON.stringify(line.error);
      events.push({ type: 'error', error: { code: 'upstream_error', message: `Ollama: ${message}`, status: 502 } });
      return events;
    }
    if (!this.started) {
      this.started = true;
      events.push({ type: 'start', ...(typeof line.model === 'string' ? { model: line.model } : {}) });
    }
    const message = (line.message ?? null) as Record<string, unknown> | null;
    const thinking = message ? message.thinking : line.thinking;
    const content = message ? message.content : line.response;
    if (typeof thinking === 'string' && thinking !== '') events.push({ type: 'thinking_delta', text: thinking });
    if (typeof content === 'string' && content !== '') events.push({ type: 'text_delta', text: content });
    if (message && Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls as OllamaToolCall[]) {
        const index = this.calls++;
        events.push({ type: 'tool_call_start', index, id: call.id || `call_${index}`, name: call.function?.name ?? '' });
        events.push({ type: 'tool_call_delta', index, arguments: stringifyArguments(call.function?.arguments ?? {}) });
        events.push({ type: 'tool_call_end', index });
      }
    }
    if (line.done === true) {
      this.done = true;
      events.push({ type: 'usage', usage: mapOllamaUsage(line) });
      const reason: FinishReason = line.done_reason === 'length' ? 'length' : this.calls > 0 ? 'tool_calls' : 'stop';
      events.push({ type: 'finish', reason });
    }
    return events;
  }
}

/** NDJSON body of a streaming answer → canonical events. */
export async function* ollamaStreamEvents(body: AsyncIterable<Buffer>): AsyncGenerator<StreamEvent> {
  const converter = new OllamaLineConverter();
  for await (const text of readNdjsonLines(body)) {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      continue; // Unparseable lines are skipped, as Ollama's own client does.
    }
    const events = converter.convert(line);
    yield* events;
    if (converter.done || events.some((event) => event.type === 'error')) return;
  }
  throw new GatewayError('upstream_disconnected', 'The Ollama stream ended without its final "done" line');
}

/** One non-streaming answer object → the same canonical events. */
export function ollamaResponseEvents(json: Record<string, unknown>): StreamEvent[] {
  const converter = new OllamaLineConverter();
  const events = converter.convert(withFields(json, { done: true }));
  return events;
}
