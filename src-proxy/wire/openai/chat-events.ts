/**
 * OpenAI Chat Completions answers (SSE chunks or one JSON object) → canonical events.
 * Shared by every OpenAI-shaped upstream (OpenAI-compatible services, Azure OpenAI).
 *
 * Tolerates what real upstreams send: an empty first chunk, Azure's first chunk with
 * `choices: []` and `prompt_filter_results`, usage in a choice-less final chunk, reasoning as
 * `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter, Ollama), and in-band
 * `{"error": …}` chunks.
 */
import { withFields } from '../with-fields.ts';
import type { FinishReason, StreamEvent, Usage } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { sseJsonEvents } from '../../upstream/event-queue.ts';

interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export function mapOpenAiUsage(usage: OpenAiUsage): Partial<Usage> {
  const mapped: Partial<Usage> = {};
  if (typeof usage.prompt_tokens === 'number') mapped.inputTokens = usage.prompt_tokens;
  if (typeof usage.completion_tokens === 'number') mapped.outputTokens = usage.completion_tokens;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number' && cached > 0) mapped.cacheReadTokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number' && reasoning > 0) mapped.reasoningTokens = reasoning;
  return mapped;
}

export function mapOpenAiFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

interface ToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/** Stateful converter: feed it parsed chunk objects in order. */
export class OpenAiChunkConverter {
  /** The first chunk was seen (it opens the answer with a start event). */
  started = false;
  private finished: { reason: FinishReason } | null = null;
  /** OpenAI tool-call index → canonical index, plus whether it is still open. */
  private readonly calls = new Map<number, { index: number; open: boolean }>();
  private pendingUsage: Partial<Usage> | null = null;

  convert(chunk: Record<string, unknown>): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (chunk.error) {
      const error = chunk.error as { message?: string; code?: string };
      events.push({ type: 'error', error: { code: 'upstream_error', message: error.message ?? 'The provider reported an error mid-stream.', status: 502 } });
      return events;
    }
    if (!this.started) {
      this.started = true;
      events.push({ type: 'start', id: typeof chunk.id === 'string' ? chunk.id : undefined, model: typeof chunk.model === 'string' && chunk.model ? chunk.model : undefined });
    }
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as Array<Record<string, unknown>>) : [];
    const choice = choices.find((c) => (c.index ?? 0) === 0);
    if (choice) {
      const delta = (choice.delta ?? choice.message ?? {}) as Record<string, unknown>;
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning !== '') events.push({ type: 'thinking_delta', text: reasoning });
      if (typeof delta.content === 'string' && delta.content !== '') events.push({ type: 'text_delta', text: delta.content });
      if (typeof delta.refusal === 'string' && delta.refusal !== '') events.push({ type: 'text_delta', text: delta.refusal });
      if (Array.isArray(delta.tool_calls)) events.push(...this.toolCallEvents(delta.tool_calls as ToolCallDelta[]));
      if (typeof choice.finish_reason === 'string' && choice.finish_reason) {
        this.finished = { reason: mapOpenAiFinishReason(choice.finish_reason) };
      }
    }
    if (chunk.usage && typeof chunk.usage === 'object') this.pendingUsage = mapOpenAiUsage(chunk.usage as OpenAiUsage);
    return events;
  }

  private toolCallEvents(deltas: ToolCallDelta[]): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const [position, delta] of deltas.entries()) {
      const key = typeof delta.index === 'number' ? delta.index : position;
      let call = this.calls.get(key);
      if (!call) {
        call = { index: this.calls.size, open: true };
        this.calls.set(key, call);
        events.push({ type: 'tool_call_start', index: call.index, id: delta.id || `call_${call.index}`, name: delta.function?.name ?? '' });
      }
      const args = delta.function?.arguments;
      if (typeof args === 'string' && args !== '') events.push({ type: 'tool_call_delta', index: call.index, arguments: args });
    }
    return events;
  }

  /** Events that close the answer once the upstream is done. */
  finish(): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const call of this.calls.values()) {
      if (call.open) {
        call.open = false;
        events.push({ type: 'tool_call_end', index: call.index });
      }
    }
    if (this.pendingUsage) events.push({ type: 'usage', usage: this.pendingUsage });
    const reason = this.finished?.reason ?? 'stop';
    // Some compatible servers report "stop" after tool calls; the calls decide.
    events.push({ type: 'finish', reason: reason === 'stop' && this.calls.size > 0 ? 'tool_calls' : reason });
    return events;
  }

  /** The text of a chunk that is a text delta and nothing else (see SseJsonHandler.textOnly). */
  static textOnly(chunk: Record<string, unknown>): string | undefined {
    if (chunk.error || (chunk.usage && typeof chunk.usage === 'object') || !Array.isArray(chunk.choices) || chunk.choices.length !== 1) return undefined;
    const choice = chunk.choices[0] as Record<string, unknown>;
    if ((choice.index ?? 0) !== 0 || choice.finish_reason || choice.message !== undefined) return undefined;
    const delta = choice.delta as Record<string, unknown> | undefined;
    if (!delta || typeof delta.content !== 'string') return undefined;
    if (typeof (delta.reasoning_content ?? delta.reasoning) === 'string' || typeof delta.refusal === 'string' || Array.isArray(delta.tool_calls)) return undefined;
    return delta.content;
  }

  get sawFinish(): boolean {
    return this.finished !== null;
  }
}

/** SSE body of a streaming chat completion → canonical events. */
export function openAiStreamEvents(body: AsyncIterable<Buffer>): AsyncIterable<StreamEvent> {
  const converter = new OpenAiChunkConverter();
  return sseJsonEvents(body, {
    isSentinel: (data) => data === '[DONE]',
    // Only once started: the first chunk also opens the answer.
    textOnly: (json) => (converter.started ? OpenAiChunkConverter.textOnly(json) : undefined),
    convert: (json) => converter.convert(json),
    finish(done) {
      if (!done && !converter.sawFinish) throw new GatewayError('upstream_disconnected', 'The provider stream ended without finishing the answer');
      return converter.finish();
    },
  });
}

/** A non-streaming chat.completion → the same canonical events. */
export function openAiCompletionEvents(json: Record<string, unknown>): StreamEvent[] {
  const converter = new OpenAiChunkConverter();
  const choices = Array.isArray(json.choices) ? (json.choices as Array<Record<string, unknown>>) : [];
  const message = (choices[0]?.message ?? {}) as Record<string, unknown>;
  const toolCalls = Array.isArray(message.tool_calls)
    ? (message.tool_calls as Array<Record<string, unknown>>).map((call, index) => withFields(call, { index }))
    : undefined;
  const events = converter.convert(withFields(json, {
    choices: [{ index: 0, delta: withFields(message, { tool_calls: toolCalls }), finish_reason: choices[0]?.finish_reason ?? 'stop' }],
  }));
  return [...events, ...converter.finish()];
}
