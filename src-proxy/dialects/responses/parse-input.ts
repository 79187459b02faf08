/**
 * Responses input items → canonical messages. Responses items are flat: one assistant turn is a
 * run of `reasoning`, assistant `message`, `function_call` and `custom_tool_call` items, and the
 * tool results that answer it are `function_call_output` items. Runs are folded into one
 * canonical assistant message / one tool message. System and developer messages are hoisted into
 * the system prompt in order (as the OpenAI dialect does). Items with no canonical form (hosted
 * tool calls such as web_search_call, item references) are left out and listed in `dropped`.
 */
import type { AssistantPart, ImagePart, Message, TextPart, ToolResultPart, UserPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { parseImagePart } from '../../wire/openai/chat-fields.ts';
import { asArray, fieldError, isRecord, mustBe, parseDataUrl, requireString } from '../../wire/validate.ts';
import { decodeEncryptedContent } from './encrypted-reasoning.ts';
import { canonicalToolName } from './parse-tools.ts';

type Item = Record<string, unknown>;

function textOfParts(content: unknown, path: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return asArray(content, path)
    .map((part) => (isRecord(part) ? (typeof part.text === 'string' ? part.text : typeof part.refusal === 'string' ? part.refusal : '') : ''))
    .join('');
}

function imageOf(part: Item, where: string): ImagePart {
  if (typeof part.image_url === 'string') return parseImagePart(part.image_url, typeof part.detail === 'string' ? part.detail : undefined);
  throw new GatewayError('unsupported_feature', `${where}: images given by file_id live at OpenAI and cannot reach this provider; send the image as a data URL`, { param: where });
}

function userParts(content: unknown, path: string): UserPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return asArray(content, path).map((raw, index): UserPart => {
    const where = `${path}[${index}]`;
    if (!isRecord(raw)) throw fieldError(mustBe(where, 'a content part object', raw, `Send each entry of "${path}" as a content part object ({"type": "input_text", "text": …})`));
    if ((raw.type === 'input_text' || raw.type === 'output_text' || raw.type === 'text') && typeof raw.text === 'string') return { type: 'text', text: raw.text };
    if (raw.type === 'input_image') return imageOf(raw, where);
    if (raw.type === 'input_file' && typeof raw.file_data === 'string') {
      const data = parseDataUrl(raw.file_data);
      const title = typeof raw.filename === 'string' ? raw.filename : undefined;
      if (data) return { type: 'document', source: { kind: 'base64', mediaType: data.mediaType, data: data.data }, ...(title ? { title } : {}) };
    }
    throw new GatewayError('unsupported_feature', `${where}: content parts of type "${String(raw.type)}" cannot be translated for this provider`, { param: where });
  });
}

function toolOutput(output: unknown, path: string): Array<TextPart | ImagePart> {
  if (typeof output === 'string') return [{ type: 'text', text: output }];
  if (!Array.isArray(output)) return [{ type: 'text', text: JSON.stringify(output ?? '') }];
  return output.map((raw, index): TextPart | ImagePart => {
    const where = `${path}[${index}]`;
    if (isRecord(raw) && raw.type === 'input_image') return imageOf(raw, where);
    return { type: 'text', text: isRecord(raw) && typeof raw.text === 'string' ? raw.text : JSON.stringify(raw) };
  });
}

/** Stateful: feed history items, then the request's own items, in order. */
export class ResponsesInputParser {
  readonly system: TextPart[] = [];
  readonly messages: Message[] = [];
  readonly dropped: string[] = [];
  /** call_id → canonical tool name, for results (Gemini and Ollama need the name). */
  private readonly callNames = new Map<string, string>();

  /** `signsReasoning(kind)`: whether signed reasoning of that provider kind is kept (ProviderSpoke.signsReasoning). */
  constructor(private readonly signsReasoning: (kind: string) => boolean = () => true) {}

  add(items: unknown, path: string): void {
    if (typeof items === 'string') {
      this.messages.push({ role: 'user', content: [{ type: 'text', text: items }] });
      return;
    }
    asArray(items, path).forEach((item, index) => this.addItem(item, `${path}[${index}]`));
  }

  private assistant(): AssistantPart[] {
    const last = this.messages.at(-1);
    if (last?.role === 'assistant') return last.content;
    const message: Message = { role: 'assistant', content: [] };
    this.messages.push(message);
    return message.content;
  }

  private toolResult(result: ToolResultPart): void {
    const last = this.messages.at(-1);
    if (last?.role === 'tool') last.content.push(result);
    else this.messages.push({ role: 'tool', content: [result] });
  }

  private call(callId: string, name: string, args: string): void {
    this.callNames.set(callId, name);
    this.assistant().push({ type: 'tool_call', id: callId, name, arguments: args });
  }

  private result(callId: string, output: unknown, path: string): void {
    const name = this.callNames.get(callId);
    this.toolResult({ type: 'tool_result', toolCallId: callId, ...(name ? { name } : {}), content: toolOutput(output, path) });
  }

  private addItem(raw: unknown, path: string): void {
    if (!isRecord(raw)) throw fieldError(mustBe(path, 'an object', raw, 'Send each entry of "input" as an item object ({"role": "user", "content": …})'));
    const type = raw.type ?? (raw.role !== undefined ? 'message' : undefined);
    const namespace = typeof raw.namespace === 'string' ? raw.namespace : undefined;
    switch (type) {
      case 'message':
        return this.addMessage(raw, path);
      case 'function_call':
        return this.call(requireString(raw.call_id, `${path}.call_id`), canonicalToolName(requireString(raw.name, `${path}.name`), namespace), typeof raw.arguments === 'string' ? raw.arguments : JSON.stringify(raw.arguments ?? {}));
      case 'custom_tool_call':
        return this.call(requireString(raw.call_id, `${path}.call_id`), canonicalToolName(requireString(raw.name, `${path}.name`), namespace), JSON.stringify({ input: typeof raw.input === 'string' ? raw.input : '' }));
      case 'local_shell_call':
        return this.call(requireString(raw.call_id, `${path}.call_id`), 'local_shell', JSON.stringify(raw.action ?? {}));
      case 'function_call_output':
      case 'custom_tool_call_output':
      case 'local_shell_call_output':
        return this.result(requireString(raw.call_id ?? raw.id, `${path}.call_id`), raw.output, `${path}.output`);
      case 'reasoning':
        return this.addReasoning(raw, path);
      default:
        this.dropped.push(typeof type === 'string' ? type : 'unknown');
    }
  }

  private addMessage(raw: Item, path: string): void {
    switch (raw.role) {
      case 'system':
      case 'developer':
        this.system.push({ type: 'text', text: textOfParts(raw.content, `${path}.content`) });
        return;
      case 'user':
        this.messages.push({ role: 'user', content: userParts(raw.content, `${path}.content`) });
        return;
      case 'assistant': {
        const text = textOfParts(raw.content, `${path}.content`);
        if (text) this.assistant().push({ type: 'text', text });
        return;
      }
      default:
        throw fieldError(mustBe(`${path}.role`, 'one of "user", "assistant", "system", "developer"', raw.role, `Send one of "user", "assistant", "system", "developer" in "${path}.role"`));
    }
  }

  private addReasoning(raw: Item, path: string): void {
    const content = Array.isArray(raw.content) && raw.content.length > 0 ? raw.content : null;
    const text = content
      ? textOfParts(content, `${path}.content`)
      : (Array.isArray(raw.summary) ? raw.summary : []).map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).filter(Boolean).join('\n\n');
    const sealed = typeof raw.encrypted_content === 'string' && raw.encrypted_content ? decodeEncryptedContent(raw.encrypted_content, this.signsReasoning) : {};
    if (sealed.redacted) this.assistant().push({ type: 'thinking', text: '', redacted: sealed.redacted });
    else if (text || sealed.signature) this.assistant().push({ type: 'thinking', text, ...(sealed.signature ? { signature: sealed.signature } : {}) });
  }
}
