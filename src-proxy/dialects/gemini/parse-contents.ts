/**
 * Gemini `contents` → canonical messages (docs/wire-formats.md, "Gemini", "Call ids"):
 * - roles `user` and `model` (older clients: `function` for results); a user content holding
 *   `functionResponse` parts becomes tool messages, its other parts a user message after them;
 * - a functionCall without an id gets `call_<n>`; a functionResponse without one answers the
 *   oldest open call of the same name, so parallel calls of one tool pair up in order;
 * - `thought: true` text is thinking (consecutive thought parts, as a stream sends them, are one
 *   thought again); `thoughtSignature` (on a thought or a functionCall part) is decoded back
 *   into the signature its vendor issued (signatures.ts).
 */
import { stringifyArguments } from '../../canonical/json-args.ts';
import type { AssistantPart, Message, TextPart, ToolResultPart, UserPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { fieldError, isRecord, missing, mustBe } from '../../wire/validate.ts';
import { decodeThoughtSignature } from './signatures.ts';

type Json = Record<string, unknown>;

function mediaPart(inline: Json | undefined, file: Json | undefined, where: string): UserPart {
  if (inline) {
    const mediaType = typeof inline.mimeType === 'string' ? inline.mimeType : 'application/octet-stream';
    const data = typeof inline.data === 'string' ? inline.data : '';
    return mediaType.startsWith('image/')
      ? { type: 'image', source: { kind: 'base64', mediaType, data } }
      : { type: 'document', source: { kind: 'base64', mediaType, data } };
  }
  const uri = typeof file?.fileUri === 'string' ? file.fileUri : '';
  if (!uri) throw fieldError(missing(`${where}.fileData.fileUri`, 'the file\'s URI, a non-empty string'));
  const mediaType = typeof file?.mimeType === 'string' ? file.mimeType : '';
  return mediaType && !mediaType.startsWith('image/') ? { type: 'document', source: { kind: 'url', url: uri } } : { type: 'image', source: { kind: 'url', url: uri } };
}

function resultContent(response: unknown): TextPart[] {
  // Gemini results are objects ({"output": …} by convention): text for every other dialect.
  if (isRecord(response) && Object.keys(response).length === 1 && typeof response.output === 'string') return [{ type: 'text', text: response.output }];
  return [{ type: 'text', text: JSON.stringify(response ?? {}) }];
}

export class GeminiContentsParser {
  readonly messages: Message[] = [];
  private calls = 0;
  /** Calls not answered yet, in order: for results that carry only a name. */
  private readonly open: Array<{ id: string; name: string }> = [];

  constructor(private readonly signsReasoning: (kind: string) => boolean) {}

  add(contents: unknown[]): void {
    contents.forEach((raw, index) => {
      const where = `contents[${index}]`;
      if (!isRecord(raw)) throw fieldError(mustBe(where, 'an object', raw, `Send each entry of "contents" as a JSON object ({"role": "user", "parts": [{"text": …}]})`));
      if (!Array.isArray(raw.parts)) throw fieldError(raw.parts === undefined || raw.parts === null ? missing(`${where}.parts`, 'an array of parts such as {"text": …}') : mustBe(`${where}.parts`, 'an array', raw.parts, `Send "${where}.parts" as a JSON array of parts ([{"text": …}])`));
      const parts = raw.parts.filter(isRecord);
      if (raw.role === 'model') this.addModel(parts, where);
      else this.addUser(parts, where);
    });
  }

  private addModel(parts: Json[], where: string): void {
    const content: AssistantPart[] = [];
    parts.forEach((part, index) => {
      const at = `${where}.parts[${index}]`;
      const decoded = typeof part.thoughtSignature === 'string' && part.thoughtSignature ? decodeThoughtSignature(part.thoughtSignature, this.signsReasoning) : {};
      if (isRecord(part.functionCall)) {
        const call = part.functionCall;
        const name = typeof call.name === 'string' ? call.name : '';
        if (!name) throw fieldError(missing(`${at}.functionCall.name`, 'the name of the function called, a non-empty string'));
        const id = typeof call.id === 'string' && call.id ? call.id : `call_${this.calls}`;
        this.calls += 1;
        this.open.push({ id, name });
        // A foreign vendor's signature on a call belongs to the thinking before it.
        if (decoded.signature && decoded.signature.provider !== 'gemini') content.push({ type: 'thinking', text: '', signature: decoded.signature });
        const signature = decoded.signature?.provider === 'gemini' ? decoded.signature : undefined;
        content.push({ type: 'tool_call', id, name, arguments: stringifyArguments(call.args ?? {}), ...(signature ? { signature } : {}) });
      } else if (part.thought === true) {
        const text = typeof part.text === 'string' ? part.text : '';
        const last = content.at(-1);
        if (decoded.redacted) content.push({ type: 'thinking', text: '', redacted: decoded.redacted });
        else if (last?.type === 'thinking' && !last.signature && !last.redacted) {
          // A streamed thought arrives as several parts, the signature on the last: one thought again.
          last.text += text;
          if (decoded.signature) last.signature = decoded.signature;
        } else if (text !== '' || decoded.signature) content.push({ type: 'thinking', text, ...(decoded.signature ? { signature: decoded.signature } : {}) });
      } else if (typeof part.text === 'string') {
        if (part.text !== '') content.push({ type: 'text', text: part.text });
      }
      // Other model parts (executable code, inline data a model produced) have no canonical slot.
    });
    if (content.length > 0) this.messages.push({ role: 'assistant', content });
  }

  private addUser(parts: Json[], where: string): void {
    const results: ToolResultPart[] = [];
    const user: UserPart[] = [];
    parts.forEach((part, index) => {
      const at = `${where}.parts[${index}]`;
      if (isRecord(part.functionResponse)) {
        const response = part.functionResponse;
        const name = typeof response.name === 'string' ? response.name : '';
        const given = typeof response.id === 'string' && response.id ? response.id : null;
        const match = this.open.findIndex((call) => (given ? call.id === given : call.name === name));
        const id = given ?? this.open[match]?.id ?? `call_${this.calls++}`;
        if (match !== -1) this.open.splice(match, 1);
        results.push({ type: 'tool_result', toolCallId: id, ...(name ? { name } : {}), content: resultContent(response.response), ...(isRecord(response.response) && 'error' in response.response ? { isError: true } : {}) });
      } else if (typeof part.text === 'string') {
        user.push({ type: 'text', text: part.text });
      } else if (isRecord(part.inlineData) || isRecord(part.fileData)) {
        user.push(mediaPart(isRecord(part.inlineData) ? part.inlineData : undefined, isRecord(part.fileData) ? part.fileData : undefined, at));
      } else {
        throw new GatewayError('unsupported_feature', `${at}: this kind of part is not supported here (use text, inlineData, fileData or functionResponse)`, { param: at });
      }
    });
    if (results.length > 0) this.messages.push({ role: 'tool', content: results });
    if (user.length > 0) this.messages.push({ role: 'user', content: user });
  }
}
