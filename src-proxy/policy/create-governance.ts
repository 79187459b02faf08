/**
 * Governance for one gateway: the limit store (in memory, spend in SQLite), the price index it
 * prices with, and the policy step built on them. The gateway wires it; `invalidate` follows
 * configuration changes (prices), `close` writes pending spend.
 */
import type { BudgetAlert, ClientUsage, ProviderPacingState } from '../domain/governance.ts';
import type { Settings } from '../domain/settings.ts';
import type { Store } from '../store/types.ts';
import { createPolicy, type Policy } from './client-policy.ts';
import type { LimitStore } from './limit-store.ts';
import { createMemoryLimitStore } from './memory-limit-store.ts';
import { createPriceIndex, type PriceIndex } from './price-index.ts';
import { createProviderPacing, type ProviderPacing } from './provider-pacing.ts';

export interface Governance {
  readonly policy: Policy;
  /** Provider pacing: the upstream HTTP client's pacer, and what the provider pages show. */
  readonly pacer: ProviderPacing;
  pacing(): ProviderPacingState[];
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
  /** Default: a fresh in-memory pacer. */
  pacer?: ProviderPacing;
  now?: () => number;
  onBudgetAlert?(alert: BudgetAlert): void;
  onError(error: unknown): void;
}

export function createGovernance(deps: GovernanceDeps): Governance {
  const limits = deps.limits ?? createMemoryLimitStore({ spend: deps.store.clientSpend, onError: deps.onError });
  const pacer = deps.pacer ?? createProviderPacing();
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
    pacer,
    pacing: () => pacer.states(deps.now?.()),
    usage: async (key) => policy.usage(key),
    invalidate() {
      prices = null;
    },
    flush: () => limits.flush(),
    close: () => limits.close(),
  };
}
