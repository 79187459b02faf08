/**
 * Canonical messages → Gemini `contents`. The quirks handled here (docs/wire-formats.md, "Gemini", "Tricky cases"):
 * - roles are `user` / `model`; tool results go back in a `user` content, and consecutive
 *   tool results become ONE content with several `functionResponse` parts, in call order;
 * - `functionResponse` needs the function name (recovered from the matching call id) and a
 *   JSON object as `response` (`{output: …}` / `{error: …}`);
 * - a functionCall part carries its `thoughtSignature` back verbatim; a call that has none
 *   (another vendor made it, or the client dropped it) gets the documented placeholder on the
 *   first call of the turn, since Gemini 3 answers 400 when that signature is missing;
 * - thinking is vendor-bound: only Gemini-signed thoughts go back, as `thought: true` parts.
 */
import { parseArguments } from '../../canonical/json-args.ts';
import type { AssistantPart, ImagePart, ImageSource, Message, ToolResultPart, UserPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import type { InlineData } from './inline-media.ts';
import type { SignatureCache } from '../../canonical/signature-cache.ts';
import type { GeminiContent, GeminiPart } from './types.ts';

/** Google's documented value for function calls whose signature is unknown ("skip validation"). */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

export interface ContentsContext {
  signatures: SignatureCache<string>;
  /** Images already downloaded, by the URL the client sent. */
  downloaded: ReadonlyMap<string, InlineData>;
  /** `…/v1beta/files/` of this provider: such URLs are Files API uploads, sent as fileData. */
  filesPrefix: string;
}

/** http(s) URLs that must be downloaded before the request can be built. */
export function urlsToDownload(messages: readonly Message[], filesPrefix: string): string[] {
  const urls: string[] = [];
  const visit = (part: UserPart | ImagePart) => {
    if (part.type !== 'text' && part.source.kind === 'url' && !part.source.url.startsWith(filesPrefix)) urls.push(part.source.url);
  };
  for (const message of messages) {
    if (message.role === 'user') message.content.forEach(visit);
    else if (message.role === 'tool') for (const result of message.content) for (const part of result.content) visit(part);
  }
  return urls;
}

function mediaPart(source: ImageSource, context: ContentsContext): GeminiPart {
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  if (source.url.startsWith(context.filesPrefix)) return { fileData: { fileUri: source.url } };
  const inline = context.downloaded.get(source.url);
  if (!inline) throw new GatewayError('internal_error', 'An image URL was not downloaded before building the Gemini request');
  return { inlineData: inline };
}

/** Gemini answers 400 "empty text parameter" for `{text: ""}`, so empty text is left out. */
function userParts(parts: readonly UserPart[], context: ContentsContext): GeminiPart[] {
  const out: GeminiPart[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') out.push({ text: part.text });
    } else if (part.source.kind === 'text') {
      if (part.source.text !== '') out.push({ text: part.source.text });
    } else out.push(mediaPart(part.source, context));
  }
  return out;
}

function modelParts(parts: readonly AssistantPart[], context: ContentsContext): GeminiPart[] {
  const out: GeminiPart[] = [];
  let firstCall = true;
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') out.push({ text: part.text });
    } else if (part.type === 'thinking') {
      // Unsigned or foreign reasoning is dropped: Gemini cannot verify it (§8.5).
      if (part.signature?.provider === 'gemini') out.push({ text: part.text, thought: true, thoughtSignature: part.signature.value });
    } else {
      const signature = (part.signature?.provider === 'gemini' ? part.signature.value : undefined) ?? context.signatures.recall(part.id) ?? (firstCall ? SKIP_SIGNATURE : undefined);
      firstCall = false;
      // Call ids are not sent: Gemini pairs calls and responses by name and order, and the ids
      // the client holds may be ones this gateway or another vendor made up.
      out.push({ functionCall: { name: part.name, args: parseArguments(part.arguments) }, ...(signature ? { thoughtSignature: signature } : {}) });
    }
  }
  return out;
}

function resultOutput(result: ToolResultPart): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** The tool results of one or more consecutive tool messages → one user content. */
function toolResultContent(results: ToolResultPart[], callNames: ReadonlyMap<string, { name: string; order: number }>, context: ContentsContext): GeminiContent {
  const ordered = results
    .map((result, position) => ({ result, position, call: callNames.get(result.toolCallId) }))
    .sort((a, b) => (a.call?.order ?? Number.MAX_SAFE_INTEGER) - (b.call?.order ?? Number.MAX_SAFE_INTEGER) || a.position - b.position);
  const parts: GeminiPart[] = [];
  const media: GeminiPart[] = [];
  for (const { result, call } of ordered) {
    const name = result.name || call?.name;
    if (!name) {
      throw new GatewayError('invalid_request', `The tool result for call "${result.toolCallId}" matches no tool call in the conversation, and Gemini needs the function name`, { param: 'messages' });
    }
    const output = resultOutput(result);
    parts.push({ functionResponse: { name, response: result.isError ? { error: output } : { output } } });
    // Images a tool returned follow the responses as inline data of the same turn.
    for (const part of result.content) if (part.type === 'image') media.push(mediaPart(part.source, context));
  }
  return { role: 'user', parts: [...parts, ...media] };
}

export function buildGeminiContents(messages: readonly Message[], context: ContentsContext): GeminiContent[] {
  const contents: GeminiContent[] = [];
  /** Call id → function name and position within its model turn. */
  const callNames = new Map<string, { name: string; order: number }>();
  let pendingResults: ToolResultPart[] = [];
  const flushResults = () => {
    if (pendingResults.length > 0) contents.push(toolResultContent(pendingResults, callNames, context));
    pendingResults = [];
  };
  for (const message of messages) {
    if (message.role === 'tool') {
      pendingResults.push(...message.content);
      continue;
    }
    flushResults();
    if (message.role === 'user') {
      const parts = userParts(message.content, context);
      if (parts.length > 0) contents.push({ role: 'user', parts });
    } else {
      let order = 0;
      for (const part of message.content) if (part.type === 'tool_call') callNames.set(part.id, { name: part.name, order: order++ });
      const parts = modelParts(message.content, context);
      if (parts.length > 0) contents.push({ role: 'model', parts });
    }
  }
  flushResults();
  return contents;
}
