/**
 * The policy step where the request path meets it: who is calling (the token record the gate
 * verified, or the tokenless lane), a rough size of the request for token-per-minute limits, and
 * the admission kept on the exchange until it ends (Exchange.finish settles it).
 */
import type { FastifyRequest } from 'fastify';
import type { ClientTokenInfo } from '../domain/client-token.ts';
import { TOKENLESS_CALLER, tokenCaller, type Caller } from '../policy/client-policy.ts';
import { listExposedModels, type ListedModel } from '../routing/exposed-models.ts';
import { clientTokenOf } from './client-identity.ts';
import type { DialectContext } from './dialect-context.ts';
import type { Exchange } from './exchange.ts';

/**
 * Each verified token record's caller, made once: the gate's token cache hands the same record to
 * every request within its lifetime (as clientKeyOf's keys), so no object or key string per call.
 */
const callers = new WeakMap<ClientTokenInfo, Caller>();

export function callerOf(request: FastifyRequest): Caller {
  const token = clientTokenOf(request);
  if (!token) return TOKENLESS_CALLER;
  let caller = callers.get(token);
  if (caller === undefined) callers.set(token, (caller = tokenCaller(token)));
  return caller;
}

/**
 * Input tokens of a request before it runs, for token-per-minute limits: about four bytes of JSON
 * per token (the body's declared length; nothing is serialized for it). The real count corrects
 * the estimate when the request ends.
 */
export function estimateRequestTokens(request: FastifyRequest): number {
  const length = Number(request.headers['content-length']);
  return Number.isFinite(length) && length > 0 ? Math.ceil(length / 4) : 0;
}

/**
 * Admits one model call of this exchange (access, then limits) or throws the refusal; the
 * exchange keeps the admission and settles it when it ends. Synchronous unless the limit store
 * answers with a promise (a shared store).
 */
export function admitModelCall(context: DialectContext, exchange: Exchange, model: string): void | Promise<void> {
  if (exchange.admitted) return;
  const admitted = context.policy.admit(callerOf(exchange.request), model, estimateRequestTokens(exchange.request));
  if (admitted instanceof Promise) {
    return admitted.then((value) => {
      exchange.admitted = value;
    });
  }
  exchange.admitted = admitted;
}

/** Access only (enabled, expiry, allow-list): calls that reach no model, such as token counting. */
export function checkModelAccess(context: DialectContext, request: FastifyRequest, model: string | null): void {
  context.policy.checkAccess(callerOf(request), model);
}

/**
 * The models a caller may see in model lists: the exposed ones, less those its allow-list does
 * not name. A disabled client or an expired token gets its refusal instead of a list.
 */
export function modelsVisibleTo(context: DialectContext, request: FastifyRequest): ListedModel[] {
  const caller = callerOf(request);
  context.policy.checkAccess(caller, null);
  const models = listExposedModels(context.store);
  return caller.token?.models ? models.filter((model) => context.policy.allowsModel(caller, model.id)) : models;
}
