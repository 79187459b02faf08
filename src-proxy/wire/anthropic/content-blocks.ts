/**
 * Canonical parts → Anthropic content blocks (request side). Thinking is vendor-bound: only
 * parts signed by Anthropic go back; another vendor's signature or unsigned reasoning is dropped
 * (Anthropic rejects thinking blocks it did not sign, docs/wire-formats.md, "Signed reasoning").
 */
import { parseArguments } from '../../canonical/json-args.ts';
import type { AssistantPart, DocumentPart, ImagePart, TextPart, ToolResultPart } from '../../canonical/types.ts';
import { anthropicToolId } from './messages.ts';

export type AnthropicBlock = Record<string, unknown>;

export function textBlock(part: TextPart): AnthropicBlock | null {
  // Anthropic rejects empty text blocks ("text content blocks must be non-empty").
  if (part.text === '') return null;
  return part.cacheControl ? { type: 'text', text: part.text, cache_control: part.cacheControl } : { type: 'text', text: part.text };
}

export function imageBlock(part: ImagePart): AnthropicBlock {
  const source = part.source.kind === 'base64'
    ? { type: 'base64', media_type: part.source.mediaType, data: part.source.data }
    : { type: 'url', url: part.source.url };
  return { type: 'image', source };
}

export function documentBlock(part: DocumentPart): AnthropicBlock {
  const source = part.source.kind === 'base64'
    ? { type: 'base64', media_type: part.source.mediaType, data: part.source.data }
    : part.source.kind === 'url'
      ? { type: 'url', url: part.source.url }
      : { type: 'text', media_type: part.source.mediaType ?? 'text/plain', data: part.source.text };
  return {
    type: 'document',
    source,
    ...(part.title ? { title: part.title } : {}),
    ...(part.cacheControl ? { cache_control: part.cacheControl } : {}),
  };
}

export function toolResultBlock(part: ToolResultPart): AnthropicBlock {
  const onlyText = part.content.every((item) => item.type === 'text');
  const content = onlyText
    ? part.content.map((item) => (item as TextPart).text).join('')
    : part.content.map((item) => (item.type === 'text' ? { type: 'text', text: item.text || ' ' } : imageBlock(item)));
  return {
    type: 'tool_result',
    tool_use_id: anthropicToolId(part.toolCallId),
    content,
    ...(part.isError ? { is_error: true } : {}),
  };
}

/** True when the part can be sent to Anthropic as a thinking / redacted_thinking block. */
export function isAnthropicThinking(part: AssistantPart): boolean {
  return part.type === 'thinking' && (part.signature?.provider === 'anthropic' || part.redacted?.provider === 'anthropic');
}

export function assistantBlock(part: AssistantPart): AnthropicBlock | null {
  switch (part.type) {
    case 'text':
      return textBlock(part);
    case 'thinking':
      if (part.redacted?.provider === 'anthropic') return { type: 'redacted_thinking', data: part.redacted.value };
      if (part.signature?.provider === 'anthropic') return { type: 'thinking', thinking: part.text, signature: part.signature.value };
      return null;
    case 'tool_call':
      return { type: 'tool_use', id: anthropicToolId(part.id), name: part.name, input: parseArguments(part.arguments) };
  }
}
