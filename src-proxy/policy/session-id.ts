/**
 * Which conversation a request belongs to: the client's own `x-session-id`, or an id derived from
 * the client and a hash of the system prompt and the first user message — the two things an agent
 * resends unchanged on every turn, so the id stays the same as the conversation grows while
 * another conversation (another task, another first message) gets another one. Pure.
 *
 * The derivation reads only a SessionSeed, so a front door can hand over the two texts straight
 * from the client's body (no canonical parse on the fast path) as long as they read exactly as
 * the canonical request would give them (sessionSeedOf).
 */
import { hash } from 'node:crypto';
import type { ChatRequest, Message } from '../canonical/types.ts';

export const SESSION_HEADER = 'x-session-id';
/** A client's id is kept as sent when it is this short and printable; otherwise it is hashed. */
const CLIENT_ID = /^[\x21-\x7e]{1,128}$/;

/** What a derived session id is made of: each system prompt part's text, and the first user message's text. */
export interface SessionSeed {
  readonly system: readonly string[];
  readonly firstUser: string;
}

/** The session id, or null when there is no header and the conversation cannot be read. */
export function sessionIdOf(header: string | string[] | undefined, client: string, seed: () => SessionSeed | null): string | null {
  const given = Array.isArray(header) ? header[0] : header;
  if (given !== undefined && given !== '') return CLIENT_ID.test(given) ? given : `h-${digest(given)}`;
  const conversation = seed();
  if (!conversation) return null;
  // One string, one native hash call: the per-call cost of an incremental hash object is most of
  // the work for the short prompts most requests carry.
  let text = `${client}\u0000`;
  for (const part of conversation.system) text += `${part}\u0000`;
  text += `\u0001${conversation.firstUser}`;
  return `s-${digest(text)}`;
}

/** The seed of a canonical request (the reference every front door's own reading must match). */
export function sessionSeedOf(request: ChatRequest): SessionSeed {
  return { system: request.system.map((part) => part.text), firstUser: firstUserText(request.messages) };
}

function firstUserText(messages: readonly Message[]): string {
  const first = messages.find((message) => message.role === 'user');
  if (!first || first.role !== 'user') return '';
  return first.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
}

function digest(text: string): string {
  return hash('sha256', text, 'hex').slice(0, 20);
}
