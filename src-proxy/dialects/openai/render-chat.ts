/**
 * Canonical answer → OpenAI Chat Completions wire format, streaming and not. Chunks follow what
 * strict clients check: role on the first chunk, dense 0-based tool-call indexes with id/type/name
 * on each call's first delta, finish_reason on the last choice chunk, a usage chunk with
 * `choices: []` only when asked, then `data: [DONE]`. Reasoning goes out as `reasoning_content`.
 */
import type { ChatResponse, FinishReason, StreamEvent, Usage } from '../../canonical/types.ts';
import type { GatewayError } from '../../errors/codes.ts';
import type { StreamEncoder } from '../../http/send-stream.ts';
import { openAiStreamError } from './errors.ts';
import { mergeUsage } from '../../canonical/usage.ts';

export function openAiUsage(usage: Partial<Usage>): Record<string, unknown> {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    ...(usage.cacheReadTokens ? { prompt_tokens_details: { cached_tokens: usage.cacheReadTokens } } : {}),
    ...(usage.reasoningTokens ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } } : {}),
  };
}

export function openAiFinishReason(reason: FinishReason): string {
  return reason === 'error' ? 'stop' : reason;
}

export function createChatChunkEncoder(meta: { id: string; model: string; created: number; includeUsage: boolean }): StreamEncoder {
  let roleSent = false;
  let finishReason: FinishReason | null = null;
  let usage: Partial<Usage> | null = null;
  const callIndexes = new Map<number, number>();
  const head = `{"id":${JSON.stringify(meta.id)},"object":"chat.completion.chunk","created":${meta.created},"model":${JSON.stringify(meta.model)}`;
  const usageField = meta.includeUsage ? ',"usage":null' : '';
  // A text chunk after the first, around its JSON string: what chunk({ content }) writes, byte for byte.
  const textHead = `data: ${head},"choices":[{"index":0,"delta":{"content":`;
  const textTail = `},"logprobs":null,"finish_reason":null}]${usageField}}\n\n`;

  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => {
    if (!roleSent) {
      roleSent = true;
      delta = { role: 'assistant', ...delta };
    }
    return `data: ${head},"choices":[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finish === null ? 'null' : JSON.stringify(finish)}}]${usageField}}\n\n`;
  };

  return {
    contentType: 'text/event-stream; charset=utf-8',
    encode(event: StreamEvent): string {
      switch (event.type) {
        case 'start':
          return roleSent ? '' : chunk({ content: '' });
        case 'text_delta':
          if (!event.text) return '';
          return roleSent ? textHead + JSON.stringify(event.text) + textTail : chunk({ content: event.text });
        case 'thinking_delta':
          return event.text ? chunk({ reasoning_content: event.text }) : '';
        case 'tool_call_start': {
          const index = callIndexes.size;
          callIndexes.set(event.index, index);
          return chunk({ tool_calls: [{ index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }] });
        }
        case 'tool_call_delta': {
          const index = callIndexes.get(event.index);
          return index === undefined || !event.arguments ? '' : chunk({ tool_calls: [{ index, function: { arguments: event.arguments } }] });
        }
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return '';
        case 'finish':
          finishReason = event.reason;
          return '';
        default:
          return '';
      }
    },
    end(): string {
      let out = chunk({}, openAiFinishReason(finishReason ?? 'stop'));
      if (meta.includeUsage) out += `data: ${head},"choices":[],"usage":${JSON.stringify(openAiUsage(usage ?? {}))}}\n\n`;
      return `${out}data: [DONE]\n\n`;
    },
    error: (error: GatewayError) => openAiStreamError(error),
    ping: () => ': ping\n\n',
  };
}

export function renderChatCompletion(response: ChatResponse, created: number): Record<string, unknown> {
  const text = response.content.filter((part) => part.type === 'text').map((part) => part.text).join('');
  const reasoning = response.content.filter((part) => part.type === 'thinking').map((part) => part.text).join('');
  const toolCalls = response.content
    .filter((part) => part.type === 'tool_call')
    .map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments || '{}' } }));
  return {
    id: response.id,
    object: 'chat.completion',
    created,
    model: response.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(reasoning ? { reasoning_content: reasoning } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: openAiFinishReason(response.finishReason),
      },
    ],
    usage: openAiUsage(response.usage),
  };
}
