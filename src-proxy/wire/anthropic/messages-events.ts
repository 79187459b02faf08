/**
 * Anthropic Messages answers (SSE events or one JSON message) → canonical events.
 *
 * Block indexes count every block (thinking, text, tool_use); canonical tool-call indexes count
 * tool_use blocks only (docs/wire-formats.md, "Parallel calls"). Thinking blocks seen before a tool_use are remembered
 * by its id in the signature cache, so a client dialect with no slot for signatures can still
 * send a valid next turn (see canonical/signature-cache.ts).
 */
import { withFields } from '../with-fields.ts';
import type { SignatureCache } from '../../canonical/signature-cache.ts';
import type { StreamEvent, ThinkingPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { sseJsonEvents } from '../../upstream/event-queue.ts';
import { AnthropicUsageTracker, mapAnthropicStopReason, type AnthropicUsage } from './messages.ts';
import { statusOfAnthropicErrorType } from './errors.ts';

type Json = Record<string, unknown>;

export class AnthropicEventConverter {
  private readonly usage = new AnthropicUsageTracker();
  /** Block index → canonical tool-call index, for tool_use blocks. */
  private readonly toolBlocks = new Map<number, number>();
  private toolCount = 0;
  /** Thinking of this message so far (for the signature cache). */
  private readonly thinking: ThinkingPart[] = [];
  private openThinking: ThinkingPart | null = null;
  stopped = false;

  constructor(private readonly signatures: SignatureCache<readonly ThinkingPart[]>) {}

  convert(event: Json): StreamEvent[] {
    switch (event.type) {
      case 'message_start': {
        const message = (event.message ?? {}) as Json;
        const events: StreamEvent[] = [{ type: 'start', id: typeof message.id === 'string' ? message.id : undefined, model: typeof message.model === 'string' ? message.model : undefined }];
        if (message.usage && typeof message.usage === 'object') events.push({ type: 'usage', usage: this.usage.add(message.usage as AnthropicUsage) });
        return events;
      }
      case 'content_block_start':
        return this.blockStart(Number(event.index), (event.content_block ?? {}) as Json);
      case 'content_block_delta':
        return this.blockDelta(Number(event.index), (event.delta ?? {}) as Json);
      case 'content_block_stop': {
        this.openThinking = null;
        const call = this.toolBlocks.get(Number(event.index));
        return call === undefined ? [] : [{ type: 'tool_call_end', index: call }];
      }
      case 'message_delta': {
        const delta = (event.delta ?? {}) as Json;
        const events: StreamEvent[] = [];
        if (event.usage && typeof event.usage === 'object') events.push({ type: 'usage', usage: this.usage.add(event.usage as AnthropicUsage) });
        if (typeof delta.stop_reason === 'string') {
          const stopSequence = typeof delta.stop_sequence === 'string' ? delta.stop_sequence : undefined;
          events.push({ type: 'finish', reason: mapAnthropicStopReason(delta.stop_reason), ...(stopSequence ? { stopSequence } : {}) });
        }
        return events;
      }
      case 'message_stop':
        this.stopped = true;
        return [];
      case 'error': {
        const error = (event.error ?? {}) as { type?: string; message?: string };
        const status = statusOfAnthropicErrorType(error.type);
        return [{ type: 'error', error: { code: status === 429 ? 'upstream_rate_limited' : 'upstream_error', message: error.message ?? 'The provider reported an error mid-stream', status } }];
      }
      default:
        return []; // ping, and event types added later.
    }
  }

  private blockStart(index: number, block: Json): StreamEvent[] {
    switch (block.type) {
      case 'text':
        return typeof block.text === 'string' && block.text !== '' ? [{ type: 'text_delta', text: block.text }] : [];
      case 'thinking': {
        this.openThinking = { type: 'thinking', text: '' };
        this.thinking.push(this.openThinking);
        const events: StreamEvent[] = [];
        if (typeof block.thinking === 'string' && block.thinking !== '') events.push(...this.thinkingText(block.thinking));
        if (typeof block.signature === 'string' && block.signature !== '') events.push(this.signature(block.signature));
        return events;
      }
      case 'redacted_thinking': {
        const data = { provider: 'anthropic' as const, value: String(block.data ?? '') };
        this.thinking.push({ type: 'thinking', text: '', redacted: data });
        return [{ type: 'redacted_thinking', data }];
      }
      case 'tool_use': {
        const call = this.toolCount++;
        this.toolBlocks.set(index, call);
        const id = String(block.id ?? `toolu_${call}`);
        if (this.thinking.length > 0) this.signatures.remember(id, [...this.thinking]);
        const events: StreamEvent[] = [{ type: 'tool_call_start', index: call, id, name: String(block.name ?? '') }];
        // Non-streaming-style blocks carry the whole input; streamed ones start with `{}`.
        if (block.input && typeof block.input === 'object' && Object.keys(block.input).length > 0) {
          events.push({ type: 'tool_call_delta', index: call, arguments: JSON.stringify(block.input) });
        }
        return events;
      }
      default:
        // Server-tool blocks (server_tool_use, web_search_tool_result…) only occur when the
        // client's own server tools were passed through, which only the same-dialect path does.
        return [];
    }
  }

  private blockDelta(index: number, delta: Json): StreamEvent[] {
    switch (delta.type) {
      case 'text_delta':
        return typeof delta.text === 'string' && delta.text !== '' ? [{ type: 'text_delta', text: delta.text }] : [];
      case 'thinking_delta':
        return typeof delta.thinking === 'string' && delta.thinking !== '' ? this.thinkingText(delta.thinking) : [];
      case 'signature_delta':
        return typeof delta.signature === 'string' ? [this.signature(delta.signature)] : [];
      case 'input_json_delta': {
        const call = this.toolBlocks.get(index);
        return call !== undefined && typeof delta.partial_json === 'string' && delta.partial_json !== ''
          ? [{ type: 'tool_call_delta', index: call, arguments: delta.partial_json }]
          : [];
      }
      default:
        return []; // citations_delta has no canonical slot.
    }
  }

  private thinkingText(text: string): StreamEvent[] {
    if (this.openThinking) this.openThinking.text += text;
    return [{ type: 'thinking_delta', text }];
  }

  private signature(value: string): StreamEvent {
    const signature = { provider: 'anthropic' as const, value };
    if (this.openThinking) this.openThinking.signature = signature;
    return { type: 'thinking_signature', signature };
  }
}

/** The text of a text_delta event (see SseJsonHandler.textOnly): the converter keeps no state for it. */
function anthropicTextOnly(event: Json): string | undefined {
  if (event.type !== 'content_block_delta') return undefined;
  const delta = event.delta as Json | undefined;
  return delta?.type === 'text_delta' && typeof delta.text === 'string' ? delta.text : undefined;
}

/** SSE body of a streaming Messages answer → canonical events. */
export function anthropicStreamEvents(body: AsyncIterable<Buffer>, signatures: SignatureCache<readonly ThinkingPart[]>): AsyncIterable<StreamEvent> {
  const converter = new AnthropicEventConverter(signatures);
  return sseJsonEvents(body, {
    convert: (json) => converter.convert(json as Json),
    textOnly: anthropicTextOnly,
    stopped: () => converter.stopped,
    finish() {
      if (converter.stopped) return [];
      throw new GatewayError('upstream_disconnected', 'The provider stream ended before message_stop');
    },
  });
}

/** A non-streaming Messages answer → the same canonical events. */
export function anthropicMessageEvents(message: Json, signatures: SignatureCache<readonly ThinkingPart[]>): StreamEvent[] {
  const converter = new AnthropicEventConverter(signatures);
  const events = converter.convert({ type: 'message_start', message: withFields(message, { content: [] }) });
  const content = Array.isArray(message.content) ? (message.content as Json[]) : [];
  content.forEach((block, index) => {
    // A whole block works as its own content_block_start: text, thinking + signature and
    // tool_use input are all read from it.
    events.push(...converter.convert({ type: 'content_block_start', index, content_block: block }));
    events.push(...converter.convert({ type: 'content_block_stop', index }));
  });
  events.push(...converter.convert({ type: 'message_delta', delta: { stop_reason: message.stop_reason ?? 'end_turn', stop_sequence: message.stop_sequence ?? null } }));
  return events;
}
