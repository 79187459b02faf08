import type { UsageBucket, UsageDimension } from '../../../src-proxy/control/contract.ts';

export type UsageMetric = 'requests' | 'tokens' | 'cost';
export type UsageBucketSize = 'hour' | 'day';

export function metricOf(bucket: Pick<UsageBucket, 'requests' | 'inputTokens' | 'outputTokens' | 'costUsd'>, metric: UsageMetric): number {
  if (metric === 'requests') return bucket.requests;
  if (metric === 'tokens') return bucket.inputTokens + bucket.outputTokens;
  return bucket.costUsd ?? 0;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every UTC period key (YYYY-MM-DD or YYYY-MM-DDTHH) from `from` to `to`, inclusive — the store's keys. */
export function utcPeriods(from: number, to: number, size: UsageBucketSize): string[] {
  const step = size === 'day' ? DAY : HOUR;
  const length = size === 'day' ? 10 : 13;
  const periods: string[] = [];
  for (let cursor = Math.floor(from / step) * step; cursor <= to; cursor += step) periods.push(new Date(cursor).toISOString().slice(0, length));
  return periods;
}

/** The instant a period key starts at. */
export function periodStart(period: string): number {
  return Date.parse(period.length === 13 ? `${period}:00:00Z` : `${period}T00:00:00Z`);
}

/** Words for a key that has no value in this dimension (the store gives ''). */
const EMPTY_KEY: Record<UsageDimension, string> = {
  requested: 'no model named (refused before reading)',
  upstream: 'refused before routing',
  provider: 'refused before routing',
  client: 'unknown client',
};

/** The stack that gathers every key past the top ones; never equal to a real key. */
export const OTHER_KEY = '\u0000other';

/** How a key reads in this view. */
export function keyLabel(dimension: UsageDimension, key: string): string {
  if (key === OTHER_KEY) return 'other';
  return key === '' ? EMPTY_KEY[dimension] : key;
}

export interface KeyTotal {
  key: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

/** Totals per key, biggest first by the chosen metric. */
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

export interface PeriodSeries {
  periods: string[];
  /** Stacked series: the top keys, then OTHER_KEY. */
  series: Array<{ key: string; values: number[] }>;
  max: number;
}

/** Per-period stacks of the `top` biggest keys plus one "other" stack. */
export function periodSeries(buckets: UsageBucket[], periods: string[], metric: UsageMetric, top = 5): PeriodSeries {
  const ranked = totalsByKey(buckets, metric).map((total) => total.key);
  const shown = ranked.slice(0, top);
  const keys = ranked.length > top ? [...shown, OTHER_KEY] : shown;
  const index = new Map(periods.map((period, i) => [period, i]));
  const series = keys.map((key) => ({ key, values: periods.map(() => 0) }));
  for (const bucket of buckets) {
    const periodIndex = index.get(bucket.period);
    if (periodIndex === undefined) continue;
    const keyIndex = shown.includes(bucket.key) ? shown.indexOf(bucket.key) : keys.length - 1;
    series[keyIndex]!.values[periodIndex]! += metricOf(bucket, metric);
  }
  const max = Math.max(0, ...periods.map((_, p) => series.reduce((sum, s) => sum + s.values[p]!, 0)));
  return { periods, series, max };
}

/** A round upper bound for an axis (1, 2, 5 × 10^n). */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}
