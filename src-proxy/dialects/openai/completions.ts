/**
 * Legacy /v1/completions for translated routes: the prompt becomes one user message (with the
 * suffix kept for fill-in-the-middle capable upstreams in extra), and the answer is rendered as
 * `text_completion` objects / chunks.
 */
import type { ChatRequest, ChatResponse, FinishReason, StreamEvent, Usage } from '../../canonical/types.ts';
import type { StreamEncoder } from '../../http/send-stream.ts';
import { optionalNumber, requireString } from '../../wire/validate.ts';
import { openAiStreamError } from './errors.ts';
import { openAiUsage } from './render-chat.ts';
import { mergeUsage } from '../../canonical/usage.ts';

export function parseCompletionRequest(body: Record<string, unknown>): ChatRequest {
  const prompt = Array.isArray(body.prompt) ? body.prompt.filter((p): p is string => typeof p === 'string').join('\n') : String(body.prompt ?? '');
  const stop = body.stop;
  return {
    model: requireString(body.model, 'model'),
    system: [],
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    maxTokens: optionalNumber(body.max_tokens, 'max_tokens'),
    temperature: optionalNumber(body.temperature, 'temperature'),
    topP: optionalNumber(body.top_p, 'top_p'),
    stop: typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop.filter((s): s is string => typeof s === 'string') : undefined,
    seed: optionalNumber(body.seed, 'seed'),
    stream: body.stream === true,
    extra: typeof body.suffix === 'string' ? { openai: { suffix: body.suffix } } : {},
  };
}

function finishOf(reason: FinishReason): string {
  return reason === 'length' ? 'length' : reason === 'content_filter' ? 'content_filter' : 'stop';
}

export function createCompletionChunkEncoder(meta: { id: string; model: string; created: number; includeUsage: boolean }): StreamEncoder {
  let finish: FinishReason = 'stop';
  let usage: Partial<Usage> = {};
  const chunk = (text: string, finishReason: string | null) =>
    `data: ${JSON.stringify({ id: meta.id, object: 'text_completion', created: meta.created, model: meta.model, choices: [{ text, index: 0, logprobs: null, finish_reason: finishReason }] })}\n\n`;
  return {
    contentType: 'text/event-stream; charset=utf-8',
    encode(event: StreamEvent) {
      if (event.type === 'text_delta' && event.text) return chunk(event.text, null);
      if (event.type === 'finish') finish = event.reason;
      if (event.type === 'usage') usage = mergeUsage(usage, event.usage);
      return '';
    },
    end() {
      const usageChunk = meta.includeUsage
        ? `data: ${JSON.stringify({ id: meta.id, object: 'text_completion', created: meta.created, model: meta.model, choices: [], usage: openAiUsage(usage) })}\n\n`
        : '';
      return `${chunk('', finishOf(finish))}${usageChunk}data: [DONE]\n\n`;
    },
    error: openAiStreamError,
    ping: () => ': ping\n\n',
  };
}

export function renderTextCompletion(response: ChatResponse, created: number): Record<string, unknown> {
  const text = response.content.filter((part) => part.type === 'text').map((part) => part.text).join('');
  return {
    id: response.id,
    object: 'text_completion',
    created,
    model: response.model,
    choices: [{ text, index: 0, logprobs: null, finish_reason: finishOf(response.finishReason) }],
    usage: openAiUsage(response.usage),
  };
}
