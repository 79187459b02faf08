/** What the control API takes to read the engine's log tail (the live console, the diagnostics bundle). */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';
import { LOG_LEVELS } from './log-levels.ts';

export * from './log-levels.ts';

export const logTailQuerySchema = lazySchema(() =>
  z
    .object({
      /** Lowest level to return (default: every level the engine logs). */
      level: z.enum(LOG_LEVELS).optional(),
      /** Only lines after this one. */
      afterSeq: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(2000).optional(),
    })
    .strict()
    .optional(),
);
export type LogTailQuery = z.infer<typeof logTailQuerySchema>;
