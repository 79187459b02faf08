/**
 * Log levels and the live console's line, without a schema: the renderer imports values from
 * here (schema modules are type-only for it, test/main/renderer-bundle.test.ts).
 */
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

export function levelRank(level: LogLevelName): number {
  return LOG_LEVELS.indexOf(level);
}
