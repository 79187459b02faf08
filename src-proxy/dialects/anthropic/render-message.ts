/**
 * A collected canonical answer → Anthropic's non-streaming Message object. Block for block the
 * same content the stream encoder produces, so a client gets equal answers either way.
 */
import { parseArguments } from '../../canonical/json-args.ts';
import type { ChatResponse } from '../../canonical/types.ts';
import { anthropicStopReason, anthropicUsage } from '../../wire/anthropic/messages.ts';

export function renderAnthropicMessage(response: ChatResponse, meta: { id: string; model: string }): Record<string, unknown> {
  const content: Array<Record<string, unknown>> = [];
  for (const part of response.content) {
    if (part.type === 'text') {
      if (part.text !== '') content.push({ type: 'text', text: part.text });
    } else if (part.type === 'tool_call') {
      content.push({ type: 'tool_use', id: part.id, name: part.name, input: parseArguments(part.arguments) });
    } else if (part.redacted) {
      if (part.redacted.provider === 'anthropic') content.push({ type: 'redacted_thinking', data: part.redacted.value });
    } else {
      const signature = part.signature?.provider === 'anthropic' ? part.signature.value : '';
      if (part.text !== '' || signature !== '') content.push({ type: 'thinking', thinking: part.text, signature });
    }
  }
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content,
    stop_reason: anthropicStopReason(response.finishReason, response.stopSequence),
    stop_sequence: response.stopSequence ?? null,
    usage: anthropicUsage(response.usage),
  };
}
