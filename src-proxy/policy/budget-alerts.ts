/**
 * Budget alerts at 80 % and 100 %: a request whose cost carries a client's daily or monthly spend
 * across a threshold raises one alert (the dashboard banner, the desktop notification). Pure: it
 * compares the spend before and after that one request, so nothing needs remembering.
 */
import type { BudgetAlert, ClientLimits } from '../domain/governance.ts';
import type { SettledSpend } from './limit-store.ts';

export const BUDGET_THRESHOLDS = [80, 100] as const;

export function budgetAlertsFor(caller: { name: string }, limits: ClientLimits, spend: SettledSpend, costUsd: number, at: number): readonly BudgetAlert[] {
  // Nearly every request crosses nothing: answered without an array or a closure.
  const day = crossedThreshold(spend.today.costUsd, costUsd, limits.dailyBudgetUsd);
  const month = crossedThreshold(spend.thisMonth.costUsd, costUsd, limits.monthlyBudgetUsd);
  if (day === 0 && month === 0) return NONE;
  const alerts: BudgetAlert[] = [];
  if (day !== 0) alerts.push({ client: caller.name, period: 'day', threshold: day, spentUsd: spend.today.costUsd, budgetUsd: limits.dailyBudgetUsd!, at });
  if (month !== 0) alerts.push({ client: caller.name, period: 'month', threshold: month, spentUsd: spend.thisMonth.costUsd, budgetUsd: limits.monthlyBudgetUsd!, at });
  return alerts;
}

const NONE: readonly BudgetAlert[] = Object.freeze([]);

/** The highest threshold (the one worth telling) this request's cost carried the spend across, or 0. */
function crossedThreshold(spentUsd: number, costUsd: number, budgetUsd: number | undefined): number {
  if (budgetUsd === undefined) return 0;
  const before = spentUsd - costUsd;
  for (let index = BUDGET_THRESHOLDS.length - 1; index >= 0; index--) {
    const threshold = BUDGET_THRESHOLDS[index]!;
    const line = (budgetUsd * threshold) / 100;
    if (before < line && spentUsd >= line) return threshold;
  }
  return 0;
}
