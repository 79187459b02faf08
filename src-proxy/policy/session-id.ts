/**
 * Which conversation a request belongs to: the client's own `x-session-id`, or an id derived from
 * the client and a hash of the system prompt and the first user message — the two things an agent
 * resends unchanged on every turn, so the id stays the same as the conversation grows while
 * another conversation (another task, another first message) gets another one. Pure.
 */
import { createHash } from 'node:crypto';
import type { ChatRequest, Message } from '../canonical/types.ts';

export const SESSION_HEADER = 'x-session-id';
/** A client's id is kept as sent when it is this short and printable; otherwise it is hashed. */
const CLIENT_ID = /^[\x21-\x7e]{1,128}$/;

/** The session id, or null when there is no header and the conversation cannot be read. */
export function sessionIdOf(header: string | string[] | undefined, client: string, request: () => ChatRequest | null): string | null {
  const given = Array.isArray(header) ? header[0] : header;
  if (given !== undefined && given !== '') return CLIENT_ID.test(given) ? given : `h-${digest(given)}`;
  const conversation = request();
  if (!conversation) return null;
  const { system, messages } = conversation;
  const hash = createHash('sha256').update(client).update('\u0000');
  for (const part of system) hash.update(part.text).update('\u0000');
  hash.update('\u0001').update(firstUserText(messages));
  return `s-${hash.digest('hex').slice(0, 20)}`;
}

function firstUserText(messages: readonly Message[]): string {
  const first = messages.find((message) => message.role === 'user');
  if (!first || first.role !== 'user') return '';
  return first.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}
