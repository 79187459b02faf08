import type { UsageBucket } from '../../../src-proxy/control/contract.ts';

export type UsageMetric = 'requests' | 'tokens' | 'cost';

export function metricOf(bucket: Pick<UsageBucket, 'requests' | 'inputTokens' | 'outputTokens' | 'costUsd'>, metric: UsageMetric): number {
  if (metric === 'requests') return bucket.requests;
  if (metric === 'tokens') return bucket.inputTokens + bucket.outputTokens;
  return bucket.costUsd ?? 0;
}

/** Every UTC day (YYYY-MM-DD) from `from` to `to`, inclusive. */
export function utcDays(from: number, to: number): string[] {
  const days: string[] = [];
  const start = new Date(from);
  let cursor = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  while (cursor <= to) {
    days.push(new Date(cursor).toISOString().slice(0, 10));
    cursor += 86_400_000;
  }
  return days;
}

export interface KeyTotal {
  key: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

/** Totals per model / provider / client, biggest first by the chosen metric. */
export function totalsByKey(buckets: UsageBucket[], metric: UsageMetric): KeyTotal[] {
  const totals = new Map<string, KeyTotal>();
  for (const bucket of buckets) {
    const total = totals.get(bucket.key) ?? { key: bucket.key, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: null };
    total.requests += bucket.requests;
    total.errors += bucket.errors;
    total.inputTokens += bucket.inputTokens;
    total.outputTokens += bucket.outputTokens;
    if (bucket.costUsd !== null) total.costUsd = (total.costUsd ?? 0) + bucket.costUsd;
    totals.set(bucket.key, total);
  }
  return [...totals.values()].sort((a, b) => metricOf(b, metric) - metricOf(a, metric));
}

export interface DailySeries {
  days: string[];
  /** Stacked series: the top keys, then "other". */
  series: Array<{ key: string; values: number[] }>;
  max: number;
}

/** Per-day stacks of the `top` biggest keys plus one "other" stack. */
export function dailySeries(buckets: UsageBucket[], days: string[], metric: UsageMetric, top = 5): DailySeries {
  const ranked = totalsByKey(buckets, metric).map((total) => total.key);
  const shown = ranked.slice(0, top);
  const keys = ranked.length > top ? [...shown, 'other'] : shown;
  const index = new Map(days.map((day, i) => [day, i]));
  const series = keys.map((key) => ({ key, values: days.map(() => 0) }));
  for (const bucket of buckets) {
    const dayIndex = index.get(bucket.day);
    if (dayIndex === undefined) continue;
    const keyIndex = shown.includes(bucket.key) ? shown.indexOf(bucket.key) : keys.length - 1;
    series[keyIndex]!.values[dayIndex]! += metricOf(bucket, metric);
  }
  const max = Math.max(0, ...days.map((_, d) => series.reduce((sum, s) => sum + s.values[d]!, 0)));
  return { days, series, max };
}

/** A round upper bound for an axis (1, 2, 5 × 10^n). */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}
