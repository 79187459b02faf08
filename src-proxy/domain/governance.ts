/**
 * Governance of client tokens (virtual keys): who may call (enabled, expiry), which models, how
 * much (per-minute windows, concurrency, a lifetime request cap, daily and monthly budgets), and
 * how fast Switchboard itself calls each provider (pacing). Shapes and schemas only; the policy
 * step (src-proxy/policy/) enforces them.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';

const positiveInt = lazySchema(() => z.number().int().positive());
const budgetUsd = lazySchema(() => z.number().positive().max(1_000_000_000));

/** Limits of one client (or of the tokenless Ollama lane). Absent = unlimited. */
export const clientLimitsSchema = lazySchema(() =>
  z
    .object({
      /** Requests started per minute (a sliding minute). */
      rpm: positiveInt.optional(),
      /** Input + output tokens per minute: estimated when a request starts, corrected when it ends. */
      tpm: positiveInt.optional(),
      /** Requests in flight at once. */
      concurrency: positiveInt.optional(),
      /** Requests over the client's whole life (it does not reset). */
      maxRequests: positiveInt.optional(),
      /** USD per local calendar day, priced from the price table. */
      dailyBudgetUsd: budgetUsd.optional(),
      /** USD per local calendar month. */
      monthlyBudgetUsd: budgetUsd.optional(),
    })
    .strict(),
);
export type ClientLimits = z.infer<typeof clientLimitsSchema>;

/** Pacing of one provider: Switchboard stays inside the provider's own limits. */
export const providerLimitsSchema = lazySchema(() =>
  z
    .object({
      rpm: positiveInt.optional(),
      tpm: positiveInt.optional(),
      concurrency: positiveInt.optional(),
    })
    .strict(),
);
export type ProviderLimits = z.infer<typeof providerLimitsSchema>;

/**
 * Allowed model names: aliases, bare model names and `*` patterns. A `provider/model` address is
 * allowed only by an entry that itself holds a `/` (e.g. `openrouter/*`).
 */
export const allowedModelsSchema = lazySchema(() => z.array(z.string().min(1).max(200)).max(500));

/** What governs one client token; every field has a "not governed" value. */
export interface ClientGovernance {
  enabled: boolean;
  /** Epoch ms after which the token is refused; null = never. */
  expiresAt: number | null;
  /** null = every model. */
  models: string[] | null;
  limits: ClientLimits;
}

export const UNGOVERNED: ClientGovernance = Object.freeze({ enabled: true, expiresAt: null, models: null, limits: Object.freeze({}) }) as ClientGovernance;

/** The governance fields a create or update may set (each optional; null clears expiry / models). */
export const clientGovernancePatchSchema = lazySchema(() =>
  z
    .object({
      enabled: z.boolean().optional(),
      expiresAt: z.number().int().positive().nullable().optional(),
      models: allowedModelsSchema.nullable().optional(),
      limits: clientLimitsSchema.optional(),
    })
    .strict(),
);
export type ClientGovernancePatch = z.infer<typeof clientGovernancePatchSchema>;

/** The settings part: the tokenless lane's limits and how long paced requests may wait. */
export const ollamaLaneSchema = lazySchema(() => z.object({ limits: clientLimitsSchema }).strict());
export type OllamaLane = z.infer<typeof ollamaLaneSchema>;

/** Totals of one accounting period (a local day, a local month, or the client's whole life). */
export interface SpendTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** USD of the requests whose model has a price. */
  costUsd: number;
  /** Requests whose model has no price (their tokens count, their cost cannot). */
  unpricedRequests: number;
}

/** A client's consumption as the Clients page shows it. */
export interface ClientUsage {
  /** `YYYY-MM-DD` / `YYYY-MM` of the machine's local calendar. */
  day: string;
  month: string;
  today: SpendTotals;
  thisMonth: SpendTotals;
  lifetime: SpendTotals;
  /** Requests running now. */
  active: number;
}

export const EMPTY_TOTALS: SpendTotals = Object.freeze({ requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedRequests: 0 });

/** A budget crossed 80 % or 100 %: the dashboard banner and the desktop notification. */
export interface BudgetAlert {
  client: string;
  period: 'day' | 'month';
  /** 80 or 100. */
  threshold: number;
  spentUsd: number;
  budgetUsd: number;
  at: number;
}

/** True when any limit is set (an empty object costs nothing on the request path). */
export function hasClientLimits(limits: ClientLimits | undefined): boolean {
  if (!limits) return false;
  for (const key in limits) if (limits[key as keyof ClientLimits] !== undefined) return true;
  return false;
}

/** One provider's pacing right now (the provider pages show it). */
export interface ProviderPacingState {
  provider: string;
  limits: ProviderLimits;
  /** Paced calls in flight. */
  active: number;
  /** Paced calls waiting in the queue. */
  waiting: number;
  requestsLastMinute: number;
  tokensLastMinute: number;
}

export function hasProviderLimits(limits: ProviderLimits | undefined): boolean {
  return !!limits && (limits.rpm !== undefined || limits.tpm !== undefined || limits.concurrency !== undefined);
}

/** True when the client is governed at all (access rules or limits). */
export function isGoverned(governance: ClientGovernance): boolean {
  return !governance.enabled || governance.expiresAt !== null || governance.models !== null || hasClientLimits(governance.limits);
}
