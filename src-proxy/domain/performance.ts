/**
 * Latency and reliability per group (model asked for, provider/model, provider, client) over a
 * window of the request history: p50/p95 of the time to the last byte and to the first token,
 * the error rate, and what the response cache did (hit rate, money it saved). Read from the
 * history rows themselves, so it covers what history retention keeps.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';
import { USAGE_DIMENSIONS } from './usage.ts';

/** The longest window analysed (48 hours): percentiles need every row, not a roll-up. */
export const PERFORMANCE_MAX_SPAN_MS = 48 * 3_600_000;

export const performanceQuerySchema = lazySchema(() =>
  z
    .object({ from: z.number(), to: z.number(), groupBy: z.enum(USAGE_DIMENSIONS) })
    .strict()
    .refine((query) => query.to >= query.from, 'to must not be before from')
    .refine((query) => query.to - query.from <= PERFORMANCE_MAX_SPAN_MS, 'a latency window spans 48 hours at most'),
);
export type PerformanceQuery = z.infer<typeof performanceQuerySchema>;

export interface PerformanceGroup {
  /** As in a usage bucket: '' when the request had none (refused before routing…). */
  key: string;
  requests: number;
  errors: number;
  /** errors / requests (0..1). */
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Over the requests that produced a first token (streams and answered calls). */
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  /** Requests on cache-enabled aliases, and how many were hits. */
  cacheLookups: number;
  cacheHits: number;
  /** What the hits would have cost at today's prices (null when none of them has a price). */
  savedUsd: number | null;
}

export interface PerformanceReport {
  groupBy: PerformanceQuery['groupBy'];
  groups: PerformanceGroup[];
  totals: Omit<PerformanceGroup, 'key'>;
  /** True when the window held more rows than are read; the figures are then over the newest. */
  sampled: boolean;
}
