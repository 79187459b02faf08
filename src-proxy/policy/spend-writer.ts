/**
 * Client spend written behind: deltas per client and period are summed in memory and written in
 * one transaction at most once per interval, so a request never waits for the disk. A failed
 * write keeps its rows for the next one (spend is what budgets stand on). Used by the in-memory
 * limit store and by the shared one (which keeps the durable record in the store as well).
 */
import { EMPTY_TOTALS, type SpendTotals } from '../domain/governance.ts';
import type { ClientSpendRepository, SpendDelta } from '../store/types.ts';
import type { Consumption } from './limit-store.ts';

export interface SpendWriter {
  /** Adds one finished request's consumption to a client's period. */
  queue(key: string, period: string, consumption: Consumption): void;
  /** Writes what is pending now. */
  flush(): void;
}

export function createSpendWriter(spend: ClientSpendRepository, flushIntervalMs: number, onError?: (error: unknown) => void): SpendWriter {
  const pending = new Map<string, SpendDelta>();
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return;
    const rows = [...pending.values()];
    pending.clear();
    try {
      spend.add(rows);
    } catch (error) {
      for (const row of rows) {
        const id = `${row.client}\u0000${row.period}`;
        const later = pending.get(id);
        if (later) mergeTotals(later.totals, row.totals);
        else pending.set(id, row);
      }
      onError?.(error);
    }
  }

  return {
    queue(key, period, consumption) {
      const id = `${key}\u0000${period}`;
      let delta = pending.get(id);
      if (!delta) {
        delta = { client: key, period, totals: { ...EMPTY_TOTALS } };
        pending.set(id, delta);
      }
      addConsumption(delta.totals, consumption);
      if (!timer) {
        timer = setTimeout(flush, flushIntervalMs);
        timer.unref();
      }
    },
    flush,
  };
}

export function addConsumption(totals: SpendTotals, consumption: Consumption): void {
  totals.requests += 1;
  totals.inputTokens += consumption.inputTokens;
  totals.outputTokens += consumption.outputTokens;
  if (consumption.costUsd === null) totals.unpricedRequests += 1;
  else totals.costUsd += consumption.costUsd;
}

export function mergeTotals(into: SpendTotals, from: SpendTotals): void {
  into.requests += from.requests;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.costUsd += from.costUsd;
  into.unpricedRequests += from.unpricedRequests;
}
