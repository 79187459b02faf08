/**
 * The counters behind client limits, as one small interface: the in-memory store (windows in
 * memory, spend persisted in SQLite) is the default; a shared store (Redis-compatible) can take
 * its place when several Switchboard instances serve one team, since every check-and-take is one
 * call here. Calls may answer synchronously or with a promise.
 */
import type { ClientLimits, ClientUsage, SpendTotals } from '../domain/governance.ts';

export type Awaitable<T> = T | Promise<T>;

/** Which limit refused a request. */
export type LimitName = 'rpm' | 'tpm' | 'concurrency' | 'maxRequests' | 'dailyBudgetUsd' | 'monthlyBudgetUsd';

export interface Refusal {
  refused: LimitName;
  /** The configured value of that limit. */
  limit: number;
  /** When it is worth retrying (absent for the lifetime cap, which never resets). */
  retryAfterSeconds?: number;
}

/** One admitted request, handed back when it ends. */
export interface Lease {
  readonly key: string;
  readonly at: number;
  readonly estimatedTokens: number;
}

/** What a finished request consumed. costUsd null = its model has no price. */
export interface Consumption {
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

/** The client's spend right after a request was settled (budget alerts read it). */
export interface SettledSpend {
  today: SpendTotals;
  thisMonth: SpendTotals;
}

export interface LimitStore {
  /**
   * Checks `limits` for one new request of the client `key` and, when they allow it, takes its
   * share (a concurrency slot, one request of the minute, its token estimate) in the same step.
   * Empty limits only count the request as running.
   */
  admit(key: string, limits: ClientLimits, estimatedTokens: number, now: number): Awaitable<Lease | Refusal>;
  /** The request ended (answered, failed or aborted): frees its slot, corrects its tokens, adds its spend. */
  settle(lease: Lease, consumption: Consumption, now: number): Awaitable<SettledSpend>;
  usage(key: string, now: number): Awaitable<ClientUsage>;
  /** Writes pending spend now (shutdown, tests). */
  flush(): void;
  close(): void;
}

export function isRefusal(value: Lease | Refusal): value is Refusal {
  return (value as Refusal).refused !== undefined;
}
