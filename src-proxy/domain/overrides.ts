/**
 * Per-target parameter overrides of an alias: a max-tokens default, a fixed or clamped
 * temperature, a top_p, a reasoning effort. Applied to canonical requests by
 * canonical/apply-overrides.ts and to same-dialect bodies by each wire format's own helper.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high', 'max'] as const;

export const targetOverridesSchema = lazySchema(() =>
  z
    .object({
      /** Used when the client gives no max tokens. */
      maxTokens: z.number().int().positive().optional(),
      /** Replaces the client's temperature. */
      temperature: z.number().min(0).max(2).optional(),
      /** Clamps the client's temperature to at most this. */
      maxTemperature: z.number().min(0).max(2).optional(),
      topP: z.number().min(0).max(1).optional(),
      reasoningEffort: z.enum(REASONING_EFFORTS).optional(),
    })
    .strict(),
);
export type TargetOverrides = z.infer<typeof targetOverridesSchema>;
