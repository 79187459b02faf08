import type { PerformanceGroup, PerformanceQuery, PerformanceReport } from '../domain/performance.ts';
import type { Price } from '../domain/usage.ts';
import { costOf } from './prices-repository.ts';

/** The history columns a latency report reads, one row per request. */
export interface PerformanceRow {
  key: string;
  duration_ms: number;
  ttft_ms: number | null;
  is_error: number;
  cache: string | null;
  upstream_model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
}

/** Nearest-rank percentile of sorted values (null for none). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

interface Accumulator {
  durations: number[];
  ttfts: number[];
  errors: number;
  cacheLookups: number;
  cacheHits: number;
  savedUsd: number | null;
}

const empty = (): Accumulator => ({ durations: [], ttfts: [], errors: 0, cacheLookups: 0, cacheHits: 0, savedUsd: null });

function add(into: Accumulator, row: PerformanceRow, prices: readonly Price[]): void {
  into.durations.push(row.duration_ms);
  if (row.ttft_ms !== null) into.ttfts.push(row.ttft_ms);
  if (row.is_error) into.errors++;
  if (row.cache === null) return;
  into.cacheLookups++;
  if (row.cache !== 'hit') return;
  into.cacheHits++;
  const saved = row.upstream_model ? costOf(prices, row.upstream_model, row.input_tokens ?? 0, row.output_tokens ?? 0) : null;
  if (saved !== null) into.savedUsd = (into.savedUsd ?? 0) + saved;
}

function summarize(acc: Accumulator): Omit<PerformanceGroup, 'key'> {
  const durations = acc.durations.sort((a, b) => a - b);
  const ttfts = acc.ttfts.sort((a, b) => a - b);
  const requests = durations.length;
  return {
    requests,
    errors: acc.errors,
    errorRate: requests === 0 ? 0 : acc.errors / requests,
    p50Ms: percentile(durations, 50),
    p95Ms: percentile(durations, 95),
    ttftP50Ms: percentile(ttfts, 50),
    ttftP95Ms: percentile(ttfts, 95),
    cacheLookups: acc.cacheLookups,
    cacheHits: acc.cacheHits,
    savedUsd: acc.savedUsd,
  };
}

/** Folds history rows into per-key latency groups (busiest first) and the window's totals. */
export function buildPerformanceReport(query: Pick<PerformanceQuery, 'groupBy'>, rows: readonly PerformanceRow[], prices: readonly Price[], sampled: boolean): PerformanceReport {
  const groups = new Map<string, Accumulator>();
  const totals = empty();
  for (const row of rows) {
    let group = groups.get(row.key);
    if (!group) groups.set(row.key, (group = empty()));
    add(group, row, prices);
    add(totals, row, prices);
  }
  const summarized = [...groups].map(([key, acc]) => ({ key, ...summarize(acc) }));
  summarized.sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key));
  return { groupBy: query.groupBy, groups: summarized, totals: summarize(totals), sampled };
}
