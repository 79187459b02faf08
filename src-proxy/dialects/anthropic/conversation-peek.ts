/**
 * The session seed and the tool-call hint read straight from a Messages body (the fast path's
 * alternative to the canonical parse, see ConversationPeek). Only plain forms are read — string
 * contents and text-block arrays — exactly as parse-request.ts / parse-content.ts turn them into
 * canonical text; anything else (images, documents, tool results in the first user message)
 * answers null and the canonical request decides.
 */
import type { BodySource } from '../../http/forwarded-body.ts';
import type { ConversationPeek } from '../../http/route-chat.ts';
import type { SessionSeed } from '../../policy/session-id.ts';
import { isRecord } from '../../wire/validate.ts';

/** The texts of a string or text-block content, or null when it holds anything else. */
function textBlocks(content: unknown, into: string[]): boolean {
  if (typeof content === 'string') {
    into.push(content);
    return true;
  }
  if (!Array.isArray(content)) return false;
  for (const block of content as unknown[]) {
    if (!isRecord(block) || block.type !== 'text' || typeof block.text !== 'string') return false;
    into.push(block.text);
  }
  return true;
}

function messagesOf(body: Record<string, unknown>): unknown[] | null {
  return Array.isArray(body.messages) ? (body.messages as unknown[]) : null;
}

/** Reads the body where `source` keeps it (a ForwardedBody lets go of it once the call went out). */
export function anthropicConversationPeek(source: BodySource): ConversationPeek {
  return {
    sessionSeed(): SessionSeed | null {
      const { body } = source;
      const messages = messagesOf(body);
      if (!messages) return null;
      // `system`, then role "system" messages in order, each text block one part.
      const system: string[] = [];
      if (body.system !== undefined && body.system !== null && !textBlocks(body.system, system)) return null;
      let firstUser: string[] | null = null;
      for (const message of messages) {
        if (!isRecord(message)) return null;
        if (message.role === 'system') {
          if (message.content !== undefined && message.content !== null && !textBlocks(message.content, system)) return null;
        } else if (message.role === 'user' && firstUser === null) {
          // An empty block list makes no canonical message at all: the canonical request decides.
          firstUser = [];
          if (!textBlocks(message.content, firstUser) || firstUser.length === 0) return null;
        }
      }
      return { system, firstUser: firstUser ? firstUser.join('\n') : '' };
    },
    mayEndInToolCalls() {
      const messages = messagesOf(source.body);
      if (!messages) return true;
      for (let index = messages.length - 1; index >= 0; index--) {
        const message = messages[index];
        if (isRecord(message) && message.role === 'system') continue;
        // A user turn ends the agent's streak unless it is only tool results (those read as tool messages).
        if (!isRecord(message) || message.role !== 'user') return true;
        if (typeof message.content === 'string') return false;
        const blocks = message.content;
        return !Array.isArray(blocks) || blocks.length === 0 || (blocks as unknown[]).some((block) => !isRecord(block) || block.type === 'tool_result');
      }
      return false;
    },
  };
}
