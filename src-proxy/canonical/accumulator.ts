/**
 * The one accumulator: canonical stream events → a complete answer. Every dialect renders its
 * non-streaming responses from this, so streaming and non-streaming share one code path.
 */
import { GatewayError, isErrorCode } from '../errors/codes.ts';
import type { AssistantPart, ChatResponse, FinishReason, StreamEvent, ToolCallPart, Usage } from './types.ts';

export class ChatAccumulator {
  private readonly content: AssistantPart[] = [];
  private readonly calls = new Map<number, ToolCallPart>();
  id = '';
  model = '';
  finishReason: FinishReason | null = null;
  stopSequence: string | undefined;
  readonly usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private sawUsage = false;

  add(event: StreamEvent): void {
    switch (event.type) {
      case 'start':
        if (event.id) this.id = event.id;
        if (event.model) this.model = event.model;
        break;
      case 'text_delta': {
        const last = this.content.at(-1);
        if (last?.type === 'text') last.text += event.text;
        else this.content.push({ type: 'text', text: event.text });
        break;
      }
      case 'thinking_delta': {
        const last = this.content.at(-1);
        if (last?.type === 'thinking' && !last.signature && !last.redacted) last.text += event.text;
        else this.content.push({ type: 'thinking', text: event.text });
        break;
      }
      case 'thinking_signature': {
        const last = this.content.at(-1);
        if (last?.type === 'thinking' && !last.signature) last.signature = event.signature;
        else this.content.push({ type: 'thinking', text: '', signature: event.signature });
        break;
      }
      case 'redacted_thinking':
        this.content.push({ type: 'thinking', text: '', redacted: event.data });
        break;
      case 'tool_call_start': {
        const call: ToolCallPart = { type: 'tool_call', id: event.id, name: event.name, arguments: '' };
        this.calls.set(event.index, call);
        this.content.push(call);
        break;
      }
      case 'tool_call_delta': {
        const call = this.calls.get(event.index);
        if (call) call.arguments += event.arguments;
        break;
      }
      case 'tool_call_end': {
        const call = this.calls.get(event.index);
        if (call && event.signature) call.signature = event.signature;
        break;
      }
      case 'usage':
        Object.assign(this.usage, definedOnly(event.usage));
        this.sawUsage = true;
        break;
      case 'finish':
        this.finishReason = event.reason;
        this.stopSequence = event.stopSequence;
        break;
      case 'error':
        throw new GatewayError(isErrorCode(event.error.code) ? event.error.code : 'upstream_error', event.error.message, { status: event.error.status });
    }
  }

  get hasUsage(): boolean {
    return this.sawUsage;
  }

  result(fallback: { id: string; model: string }): ChatResponse {
    return {
      id: this.id || fallback.id,
      model: this.model || fallback.model,
      content: this.content,
      finishReason: this.finishReason ?? 'stop',
      ...(this.stopSequence ? { stopSequence: this.stopSequence } : {}),
      usage: this.usage,
    };
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== undefined) (out as Record<string, unknown>)[key] = entry;
  return out;
}

/** Collects a whole stream. Throws GatewayError when the stream carries an error event. */
export async function collectResponse(events: AsyncIterable<StreamEvent>, fallback: { id: string; model: string }): Promise<ChatResponse> {
  const accumulator = new ChatAccumulator();
  for await (const event of events) accumulator.add(event);
  return accumulator.result(fallback);
}
