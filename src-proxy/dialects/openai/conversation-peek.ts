/**
 * The session seed and the tool-call hint read straight from a Chat Completions body (the fast
 * path's alternative to the canonical parse, see ConversationPeek). Only the plain forms are read
 * here — string contents and text-only part arrays — exactly as parse-chat.ts turns them into
 * canonical text; anything else (images, files, odd shapes) answers null and the canonical
 * request decides. A body whose later messages the canonical reader would refuse still gets the
 * session its system prompt and first user message name (it goes upstream unchanged all the same).
 */
import type { BodySource } from '../../http/forwarded-body.ts';
import type { ConversationPeek } from '../../http/route-chat.ts';
import type { SessionSeed } from '../../policy/session-id.ts';
import { toolCallKey, turnKey } from '../../taps/tool-loops.ts';
import { isRecord } from '../../wire/validate.ts';

const isSystem = (role: unknown) => role === 'system' || role === 'developer';

/** A content's text as parse-chat.ts reads it (`separator` joins text parts), or null when it is not plain text. */
function plainText(content: unknown, separator: string): string | null {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return separator === '' ? '' : null;
  if (!Array.isArray(content)) return null;
  let text = '';
  for (let index = 0; index < content.length; index++) {
    const part: unknown = content[index];
    if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') return null;
    text += index === 0 ? part.text : `${separator}${part.text}`;
  }
  return text;
}

/** Reads the body where `source` keeps it (a ForwardedBody lets go of it once the call went out). */
export function openAiConversationPeek(source: BodySource): ConversationPeek {
  return new ChatBodyPeek(source);
}

function messagesOf(source: BodySource): unknown[] | null {
  const { messages } = source.body;
  return Array.isArray(messages) ? (messages as unknown[]) : null;
}

/** One object per request, its methods on the prototype (no closures per request). */
class ChatBodyPeek implements ConversationPeek {
  constructor(private readonly source: BodySource) {}

  sessionSeed(): SessionSeed | null {
    const messages = messagesOf(this.source);
    if (!messages) return null;
    const system: string[] = [];
    let firstUser: string | null = null;
    for (const message of messages) {
      if (!isRecord(message)) return null;
      // System and developer messages are hoisted in order; text parts join with nothing.
      if (isSystem(message.role)) {
        const text = plainText(message.content, '');
        if (text === null) return null;
        system.push(text);
      } else if (message.role === 'user' && firstUser === null) {
        // One canonical text part per text part, joined with a newline by the seed.
        firstUser = plainText(message.content, '\n');
        if (firstUser === null) return null;
      }
    }
    return { system, firstUser: firstUser ?? '' };
  }

  mayEndInToolCalls(): boolean {
    const messages = messagesOf(this.source);
    if (!messages) return true;
    for (let index = messages.length - 1; index >= 0; index--) {
      const message = messages[index];
      if (isRecord(message) && isSystem(message.role)) continue;
      return !(isRecord(message) && message.role === 'user');
    }
    return false;
  }

  toolCallRepeats(): number | null {
    const messages = messagesOf(this.source);
    if (!messages) return null;
    let call: string | null = null;
    let count = 0;
    for (let index = messages.length - 1; index >= 0; index--) {
      const message = messages[index];
      if (!isRecord(message)) return null;
      const { role } = message;
      // System and developer messages are hoisted out of the turns, tool results sit between them.
      if (isSystem(role) || role === 'tool' || role === 'function') continue;
      if (role === 'user') break;
      if (role !== 'assistant') return null;
      const key = assistantCalls(message);
      if (key === null) return null;
      if (key === '') break;
      if (call === null) call = key;
      else if (key !== call) break;
      count++;
    }
    return count;
  }
}

/**
 * An assistant message's tool calls as parse-chat.ts makes them and trailingToolRepeats keys them:
 * '' when it made none, null when parse-chat.ts would refuse them (the canonical request decides).
 */
function assistantCalls(message: Record<string, unknown>): string | null {
  const calls: string[] = [];
  const toolCalls = message.tool_calls ?? [];
  if (!Array.isArray(toolCalls)) return null;
  for (const call of toolCalls as unknown[]) {
    if (!isRecord(call) || !isRecord(call.function) || typeof call.function.name !== 'string') return null;
    const args = call.function.arguments;
    calls.push(toolCallKey(call.function.name, typeof args === 'string' ? args : JSON.stringify(args ?? {})));
  }
  const legacy = message.function_call;
  if (isRecord(legacy)) {
    if (typeof legacy.name !== 'string') return null;
    calls.push(toolCallKey(legacy.name, String(legacy.arguments ?? '{}')));
  }
  return calls.length === 0 ? '' : turnKey(calls);
}
