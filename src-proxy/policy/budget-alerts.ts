/**
 * Budget alerts at 80 % and 100 %: a request whose cost carries a client's daily or monthly spend
 * across a threshold raises one alert (the dashboard banner, the desktop notification). Pure: it
 * compares the spend before and after that one request, so nothing needs remembering.
 */
import type { BudgetAlert, ClientLimits } from '../domain/governance.ts';
import type { SettledSpend } from './limit-store.ts';

export const BUDGET_THRESHOLDS = [80, 100] as const;

export function budgetAlertsFor(caller: { name: string }, limits: ClientLimits, spend: SettledSpend, costUsd: number, at: number): BudgetAlert[] {
  const alerts: BudgetAlert[] = [];
  const check = (period: BudgetAlert['period'], spentUsd: number, budgetUsd: number | undefined) => {
    if (budgetUsd === undefined) return;
    const before = spentUsd - costUsd;
    // The highest threshold crossed is the one worth telling.
    for (const threshold of [...BUDGET_THRESHOLDS].reverse()) {
      const line = (budgetUsd * threshold) / 100;
      if (before < line && spentUsd >= line) {
        alerts.push({ client: caller.name, period, threshold, spentUsd, budgetUsd, at });
        return;
      }
    }
  };
  check('day', spend.today.costUsd, limits.dailyBudgetUsd);
  check('month', spend.thisMonth.costUsd, limits.monthlyBudgetUsd);
  return alerts;
}
