import type { Price, UsageBucket, UsageQuery, UsageReport } from '../domain/usage.ts';
import { costOf } from './prices-repository.ts';

/** One usage_hourly sum per (period, group key, upstream model): the upstream model decides the price. */
export interface UsageRow {
  period: string;
  key: string;
  model: string;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
}

/**
 * Folds per-model rows into (period, key) buckets. A bucket's cost sums the rows whose model has
 * a price; it is null only when none of its rows has one, so one unpriced local model does not
 * hide the cost of the rest. An empty key stays empty: what it means depends on the dimension,
 * and the UI says it in words.
 */
export function buildUsageReport(query: Pick<UsageQuery, 'groupBy' | 'bucket'>, rows: readonly UsageRow[], prices: readonly Price[]): UsageReport {
  const buckets = new Map<string, UsageBucket>();
  const totals: UsageReport['totals'] = { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: null };
  for (const row of rows) {
    const id = `${row.period}\u0000${row.key}`;
    const bucket = buckets.get(id) ?? { period: row.period, key: row.key, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: null };
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
  const sorted = [...buckets.values()].sort((a, b) => a.period.localeCompare(b.period) || a.key.localeCompare(b.key));
  return { groupBy: query.groupBy, bucket: query.bucket ?? 'day', buckets: sorted, totals };
}

/** YYYY-MM-DD of an epoch-ms instant, in UTC. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** YYYY-MM-DDTHH of an epoch-ms instant, in UTC: the usage_hourly key. */
export function utcHour(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 13);
}
