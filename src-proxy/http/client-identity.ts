/**
 * Who is calling, as the security gate established it: the client token's record when a valid
 * one came with the request, else nobody in particular. Everything that keeps state per client
 * (kept Responses, the fair queue per upstream) keys it by `clientKeyOf`; every caller without a
 * valid token — the Ollama routes, VS Code's keyless chat, any request while tokens are
 * optional — is the one client `tokenless`.
 */
import type { FastifyRequest } from 'fastify';
import type { ClientTokenInfo } from '../domain/client-token.ts';

export const TOKENLESS_CLIENT = 'tokenless';

interface IdentifiedRequest {
  clientName?: string;
  clientToken?: ClientTokenInfo;
}

/** Called by the gate once the token is verified. */
export function identifyClient(request: FastifyRequest, token: ClientTokenInfo): void {
  const identified = request as FastifyRequest & IdentifiedRequest;
  identified.clientName = token.name;
  identified.clientToken = token;
}

/** The verified client token's record (its governance included), or null for the tokenless lane. */
export function clientTokenOf(request: FastifyRequest): ClientTokenInfo | null {
  return (request as FastifyRequest & IdentifiedRequest).clientToken ?? null;
}

/**
 * Each verified token record's key, made once: the gate's token cache hands the same record to
 * every request within its lifetime, so no string is built per request.
 */
const keys = new WeakMap<ClientTokenInfo, string>();

/** The stable key of the calling client: `token:<id>` or `tokenless`. */
export function clientKeyOf(request: FastifyRequest): string {
  const token = (request as FastifyRequest & IdentifiedRequest).clientToken;
  if (token === undefined) return TOKENLESS_CLIENT;
  let key = keys.get(token);
  if (key === undefined) keys.set(token, (key = `token:${token.id}`));
  return key;
}

/** The client token's name, when the request carried a valid one. */
export function clientTokenNameOf(request: FastifyRequest): string | undefined {
  return (request as FastifyRequest & IdentifiedRequest).clientName;
}
