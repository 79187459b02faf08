/** One line of the engine's log as the live console and the diagnostics bundle see it. */
import { z } from 'zod';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  /** Increases by one per line since the engine started (a reconnecting console asks for what it missed). */
  seq: number;
  time: number;
  level: LogLevelName;
  msg: string;
  /** The line's other fields as `key=value` (already redacted by the logger). */
  fields: string;
}

export const logTailQuerySchema = z
  .object({
    /** Lowest level to return (default: every level the engine logs). */
    level: z.enum(LOG_LEVELS).optional(),
    /** Only lines after this one. */
    afterSeq: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(2000).optional(),
  })
  .strict()
  .optional();
export type LogTailQuery = z.infer<typeof logTailQuerySchema>;

export function levelRank(level: LogLevelName): number {
  return LOG_LEVELS.indexOf(level);
}
