/**
 * The session seed and the tool-call hint read straight from a Messages body (the fast path's
 * alternative to the canonical parse, see ConversationPeek). Only plain forms are read — string
 * contents and text-block arrays — exactly as parse-request.ts / parse-content.ts turn them into
 * canonical text; anything else (images, documents, tool results in the first user message)
 * answers null and the canonical request decides. The trailing tool calls are counted as
 * parse-content.ts turns the turns into canonical messages and trailingToolRepeats keys them, so a
 * turn ending in a tool result (Claude Code's most common turn) is checked for tool loops without
 * the canonical parse.
 */
import type { BodySource } from '../../http/forwarded-body.ts';
import type { ConversationPeek } from '../../http/route-chat.ts';
import type { SessionSeed } from '../../policy/session-id.ts';
import { toolCallKey, turnKey } from '../../taps/tool-loops.ts';
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
    toolCallRepeats() {
      const messages = messagesOf(source.body);
      if (!messages) return null;
      let call: string | null = null;
      let count = 0;
      for (let index = messages.length - 1; index >= 0; index--) {
        const message = messages[index];
        if (!isRecord(message)) return null;
        const { role } = message;
        // System messages are hoisted out of the turns.
        if (role === 'system') continue;
        if (role === 'user') {
          // Tool results only (canonical tool messages) sit between the turns; any other block is the user's and ends the streak.
          const only = onlyToolResults(message.content);
          if (only === null) return null;
          if (only) continue;
          break;
        }
        if (role !== 'assistant') return null;
        const key = assistantCalls(message.content);
        if (key === null) return null;
        if (key === '') break;
        if (call === null) call = key;
        else if (key !== call) break;
        count++;
      }
      return count;
    },
  };
}

/**
 * Whether a user message's content is tool results only (none: also true, it makes no canonical
 * message), false when it holds anything else, null when parse-content.ts would refuse its form.
 */
function onlyToolResults(content: unknown): boolean | null {
  if (typeof content === 'string') return false;
  if (!Array.isArray(content)) return null;
  for (const block of content as unknown[]) {
    if (!isRecord(block)) return null;
    if (block.type !== 'tool_result') return false;
  }
  return true;
}

/**
 * An assistant message's tool_use blocks as parse-content.ts makes them tool calls (arguments:
 * the input's JSON) and trailingToolRepeats keys them: '' when it made none, null when
 * parse-content.ts would refuse them (the canonical request decides).
 */
function assistantCalls(content: unknown): string | null {
  if (typeof content === 'string') return '';
  if (!Array.isArray(content)) return null;
  const calls: string[] = [];
  for (const block of content as unknown[]) {
    if (!isRecord(block)) return null;
    if (block.type !== 'tool_use') continue;
    if (typeof block.id !== 'string' || typeof block.name !== 'string') return null;
    calls.push(toolCallKey(block.name, JSON.stringify(block.input ?? {})));
  }
  return calls.length === 0 ? '' : turnKey(calls);
}
