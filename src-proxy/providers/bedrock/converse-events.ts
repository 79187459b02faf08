/**
 * Converse answers → canonical events (docs/wire-formats.md, "AWS Bedrock"). A ConverseStream
 * sends messageStart, contentBlockStart (tool uses only), contentBlockDelta (text, toolUse input
 * as JSON text, reasoningContent text / signature / redactedContent), contentBlockStop,
 * messageStop (stopReason), then metadata (usage). The canonical finish is held back until the
 * usage has been told, so every front door sees usage before the end. A non-streaming Converse
 * answer is replayed through the same converter, block by block.
 */
import type { SignatureCache } from '../../canonical/signature-cache.ts';
import type { FinishReason, StreamEvent, ThinkingPart, Usage } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { BEDROCK } from './converse-request.ts';

type Json = Record<string, unknown>;

const STOP_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', model_context_window_exceeded: 'length',
  tool_use: 'tool_calls', guardrail_intervened: 'content_filter', content_filtered: 'content_filter',
};

/**
 * Converse's `inputTokens` leaves out prompt-cache reads and writes (as Anthropic's does); the
 * canonical count includes them.
 */
export function usageOf(usage: Json): Partial<Usage> {
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const cacheRead = number(usage.cacheReadInputTokens);
  const cacheWrite = number(usage.cacheWriteInputTokens);
  return {
    inputTokens: number(usage.inputTokens) + cacheRead + cacheWrite,
    outputTokens: number(usage.outputTokens),
    ...(cacheRead ? { cacheReadTokens: cacheRead } : {}),
    ...(cacheWrite ? { cacheWriteTokens: cacheWrite } : {}),
  };
}

export class ConverseEventConverter {
  /** Block index → canonical tool-call index. */
  private readonly toolBlocks = new Map<number, number>();
  private toolCount = 0;
  private readonly thinking: ThinkingPart[] = [];
  private openThinking: { index: number; part: ThinkingPart } | null = null;
  private pendingFinish: StreamEvent | null = null;
  finished = false;

  constructor(private readonly signatures: SignatureCache<readonly ThinkingPart[]>) {}

  convert(type: string, event: Json): StreamEvent[] {
    switch (type) {
      case 'messageStart':
        return [{ type: 'start' }];
      case 'contentBlockStart':
        return this.blockStart(Number(event.contentBlockIndex), (event.start ?? {}) as Json);
      case 'contentBlockDelta':
        return this.blockDelta(Number(event.contentBlockIndex), (event.delta ?? {}) as Json);
      case 'contentBlockStop': {
        const index = Number(event.contentBlockIndex);
        if (this.openThinking?.index === index) this.openThinking = null;
        const call = this.toolBlocks.get(index);
        return call === undefined ? [] : [{ type: 'tool_call_end', index: call }];
      }
      case 'messageStop': {
        const reason = typeof event.stopReason === 'string' ? event.stopReason : 'end_turn';
        this.pendingFinish = { type: 'finish', reason: STOP_REASONS[reason] ?? 'stop' };
        return [];
      }
      case 'metadata': {
        const events: StreamEvent[] = [];
        if (event.usage && typeof event.usage === 'object') events.push({ type: 'usage', usage: usageOf(event.usage as Json) });
        return [...events, ...this.finish()];
      }
      default:
        return [];
    }
  }

  /** The held-back finish (once); an answer that never stopped is cut. */
  finish(): StreamEvent[] {
    if (this.finished) return [];
    if (!this.pendingFinish) throw new GatewayError('upstream_disconnected', 'The Bedrock stream ended before messageStop');
    this.finished = true;
    return [this.pendingFinish];
  }

  private blockStart(index: number, start: Json): StreamEvent[] {
    const toolUse = start.toolUse as Json | undefined;
    if (!toolUse) return [];
    const call = this.toolCount++;
    this.toolBlocks.set(index, call);
    const id = String(toolUse.toolUseId ?? `tooluse_${call}`);
    if (this.thinking.length > 0) this.signatures.remember(id, [...this.thinking]);
    return [{ type: 'tool_call_start', index: call, id, name: String(toolUse.name ?? '') }];
  }

  private blockDelta(index: number, delta: Json): StreamEvent[] {
    if (typeof delta.text === 'string') return delta.text === '' ? [] : [{ type: 'text_delta', text: delta.text }];
    const toolUse = delta.toolUse as Json | undefined;
    if (toolUse) {
      const call = this.toolBlocks.get(index);
      return call !== undefined && typeof toolUse.input === 'string' && toolUse.input !== '' ? [{ type: 'tool_call_delta', index: call, arguments: toolUse.input }] : [];
    }
    const reasoning = delta.reasoningContent as Json | undefined;
    if (!reasoning) return [];
    if (typeof reasoning.redactedContent === 'string') {
      const data = { provider: BEDROCK, value: reasoning.redactedContent };
      this.thinking.push({ type: 'thinking', text: '', redacted: data });
      return [{ type: 'redacted_thinking', data }];
    }
    const part = this.thinkingAt(index);
    if (typeof reasoning.text === 'string' && reasoning.text !== '') {
      part.text += reasoning.text;
      return [{ type: 'thinking_delta', text: reasoning.text }];
    }
    if (typeof reasoning.signature === 'string') {
      part.signature = { provider: BEDROCK, value: reasoning.signature };
      return [{ type: 'thinking_signature', signature: part.signature }];
    }
    return [];
  }

  private thinkingAt(index: number): ThinkingPart {
    if (this.openThinking?.index !== index) {
      this.openThinking = { index, part: { type: 'thinking', text: '' } };
      this.thinking.push(this.openThinking.part);
    }
    return this.openThinking.part;
  }
}

/** A non-streaming Converse answer → the same canonical events as its stream would give. */
export function converseResponseEvents(response: Json, signatures: SignatureCache<readonly ThinkingPart[]>): StreamEvent[] {
  const converter = new ConverseEventConverter(signatures);
  const message = ((response.output as Json | undefined)?.message ?? {}) as Json;
  const blocks = Array.isArray(message.content) ? (message.content as Json[]) : [];
  const events = converter.convert('messageStart', { role: 'assistant' });
  blocks.forEach((block, contentBlockIndex) => {
    const delta = (value: Json) => events.push(...converter.convert('contentBlockDelta', { contentBlockIndex, delta: value }));
    if (typeof block.text === 'string') delta({ text: block.text });
    const toolUse = block.toolUse as Json | undefined;
    if (toolUse) {
      events.push(...converter.convert('contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } } }));
      delta({ toolUse: { input: JSON.stringify(toolUse.input ?? {}) } });
    }
    const reasoning = block.reasoningContent as Json | undefined;
    const text = reasoning?.reasoningText as Json | undefined;
    if (typeof reasoning?.redactedContent === 'string') delta({ reasoningContent: { redactedContent: reasoning.redactedContent } });
    if (text) {
      delta({ reasoningContent: { text: String(text.text ?? '') } });
      if (typeof text.signature === 'string') delta({ reasoningContent: { signature: text.signature } });
    }
    events.push(...converter.convert('contentBlockStop', { contentBlockIndex }));
  });
  events.push(...converter.convert('messageStop', { stopReason: response.stopReason }));
  events.push(...converter.convert('metadata', { usage: response.usage }));
  return events;
}
