/** Usage roll-ups (requests, tokens, estimated cost per day and group) and the prices behind them. */
import { z } from 'zod';

export const usageQuerySchema = z
  .object({
    from: z.number(),
    to: z.number(),
    groupBy: z.enum(['model', 'provider', 'client']),
  })
  .strict();
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export const priceSchema = z
  .object({
    /** Upstream model name, or a pattern with * */
    model: z.string().min(1),
    inputPerMillion: z.number().min(0),
    outputPerMillion: z.number().min(0),
  })
  .strict();
export type Price = z.infer<typeof priceSchema>;

export interface UsageBucket {
  day: string; // YYYY-MM-DD (UTC)
  key: string; // model / provider / client
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

export interface UsageReport {
  groupBy: UsageQuery['groupBy'];
  buckets: UsageBucket[];
  totals: { requests: number; errors: number; inputTokens: number; outputTokens: number; costUsd: number | null };
}
