import type { Price, UsageBucket, UsageQuery, UsageReport } from '../domain/usage.ts';
import { costOf } from './prices-repository.ts';

/** One usage_daily row summed per (day, group key, model): the model decides the price. */
export interface UsageRow {
  day: string;
  key: string;
  model: string;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
}

export const NO_VALUE_KEY = '(none)';

/**
 * Folds per-model rows into (day, key) buckets. A bucket's cost sums the rows whose model has a
 * price; it is null only when none of its rows has one, so one unpriced local model does not
 * hide the cost of the rest.
 */
export function buildUsageReport(groupBy: UsageQuery['groupBy'], rows: readonly UsageRow[], prices: readonly Price[]): UsageReport {
  const buckets = new Map<string, UsageBucket>();
  const totals: UsageReport['totals'] = { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: null };
  for (const row of rows) {
    const key = row.key === '' ? NO_VALUE_KEY : row.key;
    const id = `${row.day}\u0000${key}`;
    const bucket = buckets.get(id) ?? { day: row.day, key, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: null };
    buckets.set(id, bucket);
    const cost = row.model === '' ? null : costOf(prices, row.model, row.input_tokens, row.output_tokens);
    for (const target of [bucket, totals]) {
      target.requests += row.requests;
      target.errors += row.errors;
      target.inputTokens += row.input_tokens;
      target.outputTokens += row.output_tokens;
      if (cost !== null) target.costUsd = (target.costUsd ?? 0) + cost;
    }
  }
  const sorted = [...buckets.values()].sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key));
  return { groupBy, buckets: sorted, totals };
}

/** YYYY-MM-DD of an epoch-ms instant, in UTC. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
