/**
 * Anthropic content blocks → canonical parts (docs/wire-formats.md, "Anthropic"). A user message that
 * carries tool_result blocks becomes a canonical tool message (the results) followed by a user
 * message (the rest), which is how every other dialect represents the same turn.
 */
import type { AssistantPart, ImagePart, ImageSource, Message, TextPart, ToolResultPart, UserPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { absentOr, asArray, fieldError, isRecord, mustBe, requireString } from '../../wire/validate.ts';

type Block = Record<string, unknown>;

function blocksOf(content: unknown, path: string): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return asArray(content, path).map((block, index) => {
    if (!isRecord(block)) throw fieldError(mustBe(`${path}[${index}]`, 'a content block object', block, `Send each entry of "${path}" as a content block object ({"type": "text", "text": …})`));
    return block;
  });
}

function unsupported(block: Block, where: string): never {
  throw new GatewayError('unsupported_feature', `${where}: content blocks of type "${String(block.type)}" cannot be translated for this provider`, { param: where });
}

export function textPart(block: Block, where: string): TextPart {
  const text = block.text;
  if (typeof text !== 'string') throw fieldError(absentOr(`${where}.text`, 'a string', text));
  return block.cache_control ? { type: 'text', text, cacheControl: block.cache_control } : { type: 'text', text };
}

function source(raw: unknown, where: string): ImageSource {
  if (isRecord(raw) && raw.type === 'base64') {
    return { kind: 'base64', mediaType: requireString(raw.media_type, `${where}.media_type`), data: requireString(raw.data, `${where}.data`) };
  }
  if (isRecord(raw) && raw.type === 'url') return { kind: 'url', url: requireString(raw.url, `${where}.url`) };
  throw new GatewayError('unsupported_feature', `${where}: only base64 and url sources can be translated for this provider`, { param: where });
}

function imagePart(block: Block, where: string): ImagePart {
  return { type: 'image', source: source(block.source, `${where}.source`) };
}

function userPart(block: Block, where: string): UserPart {
  switch (block.type) {
    case 'text':
      return textPart(block, where);
    case 'image':
      return imagePart(block, where);
    case 'document': {
      const raw = block.source;
      const title = typeof block.title === 'string' ? { title: block.title } : {};
      const cache = block.cache_control ? { cacheControl: block.cache_control } : {};
      if (isRecord(raw) && raw.type === 'text') {
        return { type: 'document', source: { kind: 'text', text: String(raw.data ?? ''), ...(typeof raw.media_type === 'string' ? { mediaType: raw.media_type } : {}) }, ...title, ...cache };
      }
      return { type: 'document', source: source(raw, `${where}.source`), ...title, ...cache };
    }
    default:
      return unsupported(block, where);
  }
}

function toolResult(block: Block, where: string): ToolResultPart {
  const content: Array<TextPart | ImagePart> = [];
  if (block.content !== undefined && block.content !== null) {
    blocksOf(block.content, `${where}.content`).forEach((item, index) => {
      const at = `${where}.content[${index}]`;
      if (item.type === 'text') content.push(textPart(item, at));
      else if (item.type === 'image') content.push(imagePart(item, at));
      else unsupported(item, at);
    });
  }
  return {
    type: 'tool_result',
    toolCallId: requireString(block.tool_use_id, `${where}.tool_use_id`),
    content,
    ...(block.is_error === true ? { isError: true } : {}),
  };
}

/** One Anthropic user message → canonical messages, in order (tool results, then the rest). */
export function parseUserContent(content: unknown, path: string): Message[] {
  const out: Message[] = [];
  blocksOf(content, path).forEach((block, index) => {
    const where = `${path}[${index}]`;
    const last = out.at(-1);
    if (block.type === 'tool_result') {
      const part = toolResult(block, where);
      if (last?.role === 'tool') last.content.push(part);
      else out.push({ role: 'tool', content: [part] });
      return;
    }
    const part = userPart(block, where);
    if (last?.role === 'user') last.content.push(part);
    else out.push({ role: 'user', content: [part] });
  });
  return out;
}

export function parseAssistantContent(content: unknown, path: string): AssistantPart[] {
  return blocksOf(content, path).map((block, index): AssistantPart => {
    const where = `${path}[${index}]`;
    switch (block.type) {
      case 'text':
        return textPart(block, where);
      case 'thinking':
        return {
          type: 'thinking',
          text: typeof block.thinking === 'string' ? block.thinking : '',
          ...(typeof block.signature === 'string' && block.signature !== '' ? { signature: { provider: 'anthropic', value: block.signature } } : {}),
        };
      case 'redacted_thinking':
        return { type: 'thinking', text: '', redacted: { provider: 'anthropic', value: requireString(block.data, `${where}.data`) } };
      case 'tool_use':
        return {
          type: 'tool_call',
          id: requireString(block.id, `${where}.id`),
          name: requireString(block.name, `${where}.name`),
          arguments: JSON.stringify(block.input ?? {}),
        };
      default:
        return unsupported(block, where);
    }
  });
}

/** `system` as a string or text blocks; `role: "system"` messages use the same content forms. */
export function parseSystemContent(content: unknown, path: string): TextPart[] {
  if (content === undefined || content === null) return [];
  return blocksOf(content, path).map((block, index) => {
    const where = `${path}[${index}]`;
    if (block.type !== 'text') throw fieldError({ path: where, problem: `"${where}" must be a text block`, fix: `Send only text blocks ({"type": "text", "text": …}) in "${path}"` });
    return textPart(block, where);
  });
}
