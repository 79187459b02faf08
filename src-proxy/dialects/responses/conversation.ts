/**
 * `previous_response_id` support: the responses this gateway produced are kept in the store
 * (their request's own input items and the response object), and a later request that names one
 * gets the whole chain back as input items, oldest first — what the Responses API does with
 * server-side state. As at OpenAI, the `instructions` of earlier requests are not carried over.
 */
import { GatewayError } from '../../errors/codes.ts';
import type { ResponsesRepository } from '../../store/types.ts';

/** Protects against a corrupted chain that loops; real conversations are far shorter. */
const MAX_CHAIN_LENGTH = 5_000;

export type Conversation = { items: unknown[] } | { missing: string };

/** The kept conversation that ends with response `id`, or the first id of its chain that is no longer kept. */
export async function loadConversation(responses: ResponsesRepository, id: string, owner: string): Promise<Conversation> {
  const chain: Array<{ input: unknown[]; output: unknown[] }> = [];
  const seen = new Set<string>();
  let current: string | null = id;
  while (current !== null) {
    if (seen.has(current) || chain.length >= MAX_CHAIN_LENGTH) throw new GatewayError('internal_error', `The kept conversation of "${id}" loops at "${current}"`);
    seen.add(current);
    // Every link must be the caller's own: another client's response reads as not kept.
    const kept = await responses.get(current, owner);
    if (!kept) return { missing: current };
    chain.push({ input: kept.input, output: Array.isArray(kept.response.output) ? kept.response.output : [] });
    current = kept.previousResponseId;
  }
  const items: unknown[] = [];
  for (let index = chain.length - 1; index >= 0; index--) items.push(...chain[index]!.input, ...chain[index]!.output);
  return { items };
}

export function notKept(previousId: string, missing: string): GatewayError {
  const detail = missing === previousId
    ? `Unknown previous_response_id "${previousId}"`
    : `The conversation of previous_response_id "${previousId}" reaches back to "${missing}", which is no longer kept`;
  return new GatewayError('response_not_found', detail, { param: 'previous_response_id' });
}

/** The request's own input as items (a string input is one user message). */
export function inputItems(input: unknown): unknown[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }];
  return Array.isArray(input) ? input : [];
}
