/** Usage roll-ups (requests, tokens, estimated cost per hour or day and group) and the prices behind them. */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';

/**
 * One dimension per view, never a mix: the name the client asked for (an alias, a provider/model
 * address…), the provider/model that answered, the provider, or the client.
 */
export const USAGE_DIMENSIONS = ['requested', 'upstream', 'provider', 'client'] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

export const usageQuerySchema = lazySchema(() =>
  z
    .object({
      from: z.number(),
      to: z.number(),
      groupBy: z.enum(USAGE_DIMENSIONS),
      /** Buckets of a UTC day (default) or a UTC hour. */
      bucket: z.enum(['day', 'hour']).optional(),
    })
    .strict(),
);
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export const priceSchema = lazySchema(() =>
  z
    .object({
      /** Upstream model name, or a pattern with * */
      model: z.string().min(1),
      inputPerMillion: z.number().min(0),
      outputPerMillion: z.number().min(0),
    })
    .strict(),
);
export type Price = z.infer<typeof priceSchema>;

export interface UsageBucket {
  /** YYYY-MM-DD, or YYYY-MM-DDTHH for hourly buckets (UTC). */
  period: string;
  /**
   * The requested name, provider/model, provider or client. '' when there is none: a request
   * refused or failed before a provider was chosen has no provider; one refused before its body
   * was read has no requested name.
   */
  key: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

export interface UsageReport {
  groupBy: UsageQuery['groupBy'];
  bucket: NonNullable<UsageQuery['bucket']>;
  buckets: UsageBucket[];
  totals: { requests: number; errors: number; inputTokens: number; outputTokens: number; costUsd: number | null };
}
