import type { BudgetAlert, ClientLimits, ClientUsage } from '../../src-proxy/control/contract.ts';

/** Spend against one budget, for bars and the banner. */
export interface BudgetState {
  period: BudgetAlert['period'];
  spentUsd: number;
  budgetUsd: number;
  /** spent / budget (may exceed 1). */
  fraction: number;
  /** 'warn' from 80 %, 'over' from 100 % (the thresholds the core alerts at). */
  level: 'ok' | 'warn' | 'over';
}

export function budgetState(period: BudgetAlert['period'], spentUsd: number, budgetUsd: number | undefined): BudgetState | null {
  if (budgetUsd === undefined) return null;
  const fraction = budgetUsd > 0 ? spentUsd / budgetUsd : 1;
  return { period, spentUsd, budgetUsd, fraction, level: fraction >= 1 ? 'over' : fraction >= 0.8 ? 'warn' : 'ok' };
}

/** The client's daily and monthly budgets that are set. */
export function budgetStates(limits: ClientLimits, usage: ClientUsage): BudgetState[] {
  return [budgetState('day', usage.today.costUsd, limits.dailyBudgetUsd), budgetState('month', usage.thisMonth.costUsd, limits.monthlyBudgetUsd)].filter(
    (state): state is BudgetState => state !== null,
  );
}

/** Budgets at 80 % or more, by client name, most spent first: what the dashboard banner lists. */
export function budgetWarnings(clients: ReadonlyArray<{ name: string; limits: ClientLimits; usage: ClientUsage }>): Array<{ client: string; state: BudgetState }> {
  return clients
    .flatMap((client) => budgetStates(client.limits, client.usage).filter((state) => state.level !== 'ok').map((state) => ({ client: client.name, state })))
    .sort((a, b) => b.state.fraction - a.state.fraction);
}

export const PERIOD_WORDS: Record<BudgetAlert['period'], { adjective: string; resets: string }> = {
  day: { adjective: 'daily', resets: 'at midnight' },
  month: { adjective: 'monthly', resets: 'on the 1st' },
};
