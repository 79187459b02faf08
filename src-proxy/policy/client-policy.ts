/**
 * The policy step of the request path (after "identify the client", before "route"): may this
 * client call now, this model, within its limits? One call per model call, O(1), and nearly free
 * for a client nothing governs (it only counts the request as running, so its spend is kept).
 * A refusal is a GatewayError in the one code list; the front door renders it in its dialect.
 */
import type { ClientTokenInfo } from '../domain/client-token.ts';
import { hasClientLimits, type BudgetAlert, type ClientLimits, type ClientUsage } from '../domain/governance.ts';
import { GatewayError } from '../errors/codes.ts';
import { describeRefusal } from './describe-refusal.ts';
import { budgetAlertsFor } from './budget-alerts.ts';
import { isRefusal, type Lease, type LimitStore, type Refusal, type SettledSpend } from './limit-store.ts';
import { compileAllowList, type AllowList } from './model-allow-list.ts';
import type { PriceIndex } from './price-index.ts';

/** Who is calling: a client token's record, or the tokenless lane (Ollama routes and the like). */
export interface Caller {
  /** Stable key of the client's counters: `token:<id>` or `tokenless`. */
  key: string;
  /** The token's name, or "Ollama lane". */
  name: string;
  token: ClientTokenInfo | null;
}

export const TOKENLESS_KEY = 'tokenless';
export const TOKENLESS_NAME = 'Ollama lane';

/** How messages name a caller. */
export function describeCaller(caller: Caller): string {
  return caller.token ? `Client "${caller.name}"` : 'The Ollama lane (requests without a client token)';
}

/** An admitted model call, settled once when its exchange ends. */
export interface Admitted {
  readonly lease: Lease;
  readonly caller: Caller;
}

export interface PolicyDeps {
  limits: LimitStore;
  /** The price table as an index (rebuilt by the gateway when prices change). */
  prices(): PriceIndex;
  /** Limits of the tokenless lane (settings.ollamaLane). */
  laneLimits(): ClientLimits;
  now?: () => number;
  onBudgetAlert?(alert: BudgetAlert): void;
  /** A shared limit store failed to record spend. */
  onError?(error: unknown): void;
}

export interface Policy {
  /** Enabled, expiry and allow-list (no counting): model lists, token counting, load-only calls. */
  checkAccess(caller: Caller, model: string | null): void;
  /** Access, then limits; takes the call's share. Throws the refusal. */
  admit(caller: Caller, model: string, estimatedTokens: number): Admitted | Promise<Admitted>;
  /** The call ended (any way): frees its share and adds its tokens and cost. */
  settle(admitted: Admitted, usage: { model: string | null; inputTokens: number; outputTokens: number }): void;
  /** Whether a model name may be shown to / used by the caller (model lists). */
  allowsModel(caller: Caller, model: string): boolean;
  usage(key: string): ClientUsage | Promise<ClientUsage>;
}

/** The alerts one settled request raises (none for nearly every request: no closure or array then). */
function reportAlerts(alert: (alert: BudgetAlert) => void, caller: Caller, limits: ClientLimits, spend: SettledSpend, costUsd: number, at: number): void {
  const crossed = budgetAlertsFor(caller, limits, spend, costUsd, at);
  for (let index = 0; index < crossed.length; index++) alert(crossed[index]!);
}

export function tokenCaller(token: ClientTokenInfo): Caller {
  return { key: `token:${token.id}`, name: token.name, token };
}

export const TOKENLESS_CALLER: Caller = Object.freeze({ key: TOKENLESS_KEY, name: TOKENLESS_NAME, token: null });

export function createPolicy(deps: PolicyDeps): Policy {
  const now = deps.now ?? Date.now;
  // Compiled once per token record; a configuration change brings new records (token cache).
  const allowLists = new WeakMap<ClientTokenInfo, AllowList>();

  function allowListOf(token: ClientTokenInfo): AllowList | null {
    if (token.models === null) return null;
    let list = allowLists.get(token);
    if (!list) {
      list = compileAllowList(token.models);
      allowLists.set(token, list);
    }
    return list;
  }

  function checkAccess(caller: Caller, model: string | null): void {
    const token = caller.token;
    if (token === null) return;
    if (!token.enabled) throw new GatewayError('client_disabled', `${describeCaller(caller)} is disabled`);
    if (token.expiresAt !== null && now() >= token.expiresAt) {
      throw new GatewayError('client_token_expired', `The token of ${describeCaller(caller).toLowerCase()} expired at ${new Date(token.expiresAt).toISOString()}`);
    }
    if (model === null) return;
    const list = allowListOf(token);
    if (list && !list.allows(model)) {
      const allowed = list.entries.length > 0 ? list.entries.join(', ') : 'none';
      throw new GatewayError('model_not_allowed', `${describeCaller(caller)} may not use "${model}"; its allowed models are: ${allowed}`, { param: 'model' });
    }
  }

  function limitsOf(caller: Caller): ClientLimits {
    return caller.token ? caller.token.limits : deps.laneLimits();
  }

  function toAdmitted(caller: Caller, result: Lease | Refusal): Admitted {
    if (isRefusal(result)) throw describeRefusal(describeCaller(caller), result);
    return { lease: result, caller };
  }

  return {
    checkAccess,
    admit(caller, model, estimatedTokens) {
      checkAccess(caller, model);
      const limits = limitsOf(caller);
      const limited = hasClientLimits(limits);
      const result = deps.limits.admit(caller.key, limited ? limits : {}, estimatedTokens, now());
      return result instanceof Promise ? result.then((value) => toAdmitted(caller, value)) : toAdmitted(caller, result);
    },
    settle(admitted, usage) {
      // A call that used no tokens (refused upstream, nothing routed) costs nothing, priced or not.
      const used = usage.inputTokens + usage.outputTokens > 0;
      const costUsd = !used ? 0 : usage.model === null ? null : deps.prices().cost(usage.model, usage.inputTokens, usage.outputTokens);
      const at = now();
      const consumption = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd };
      const settled = deps.limits.settle(admitted.lease, consumption, at);
      if (settled instanceof Promise && !deps.onBudgetAlert) settled.catch((error: unknown) => deps.onError?.(error));
      const alert = deps.onBudgetAlert;
      const limits = limitsOf(admitted.caller);
      if (!alert || costUsd === null || costUsd <= 0 || (limits.dailyBudgetUsd === undefined && limits.monthlyBudgetUsd === undefined)) return;
      if (settled instanceof Promise) void settled.then((spend) => reportAlerts(alert, admitted.caller, limits, spend, costUsd, at), (error: unknown) => deps.onError?.(error));
      else reportAlerts(alert, admitted.caller, limits, settled, costUsd, at);
    },
    allowsModel(caller, model) {
      const list = caller.token ? allowListOf(caller.token) : null;
      return list === null || list.allows(model);
    },
    usage: (key) => deps.limits.usage(key, now()),
  };
}
