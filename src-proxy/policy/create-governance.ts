/**
 * Governance for one gateway: the limit store (in memory, spend in SQLite), the price index it
 * prices with, and the policy step built on them. The gateway wires it; `invalidate` follows
 * configuration changes (prices), `close` writes pending spend.
 */
import type { BudgetAlert, ClientUsage } from '../domain/governance.ts';
import type { Settings } from '../domain/settings.ts';
import type { Store } from '../store/types.ts';
import { createPolicy, type Policy } from './client-policy.ts';
import type { LimitStore } from './limit-store.ts';
import { createMemoryLimitStore } from './memory-limit-store.ts';
import { createPriceIndex, type PriceIndex } from './price-index.ts';

export interface Governance {
  readonly policy: Policy;
  /** A client's spend and counts (`token:<id>` or `tokenless`). */
  usage(key: string): Promise<ClientUsage>;
  /** Prices or clients changed. */
  invalidate(): void;
  /** Writes pending spend now. */
  flush(): void;
  close(): void;
}

export interface GovernanceDeps {
  store: Pick<Store, 'prices' | 'clientSpend'>;
  settings(): Settings;
  /** Default: the in-memory store over store.clientSpend. */
  limits?: LimitStore;
  now?: () => number;
  onBudgetAlert?(alert: BudgetAlert): void;
  onError(error: unknown): void;
}

export function createGovernance(deps: GovernanceDeps): Governance {
  const limits = deps.limits ?? createMemoryLimitStore({ spend: deps.store.clientSpend, onError: deps.onError });
  let prices: PriceIndex | null = null;
  const policy = createPolicy({
    limits,
    prices: () => (prices ??= createPriceIndex(deps.store.prices.list())),
    laneLimits: () => deps.settings().ollamaLane.limits,
    now: deps.now,
    onBudgetAlert: deps.onBudgetAlert,
    onError: deps.onError,
  });
  return {
    policy,
    usage: async (key) => policy.usage(key),
    invalidate() {
      prices = null;
    },
    flush: () => limits.flush(),
    close: () => limits.close(),
  };
}
