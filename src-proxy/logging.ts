/**
 * The engine's logger: pino with every secret-bearing field redacted. Per-request lines are not
 * logged at info (they cost more than the proxying itself); the history has them.
 *
 * Two formats: `json` (one object per line, for log collectors; the default when stderr is not a
 * terminal) and `pretty` (one human line: time, level, message, then the other fields as
 * key=value; the default on a terminal). Redaction runs before either.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_REDACT_PATHS, LOG_SERIALIZERS } from './security/redact.ts';
import type { LogTail } from './log-tail.ts';

export type LogFormat = 'json' | 'pretty';

/** The desktop app's log file in its logs folder (`switchboard diagnose` reads its tail). */
export const LOG_FILE_NAME = 'switchboard.log';

export interface LoggerOptions {
  level?: string;
  format?: LogFormat;
  /** Where lines go (default: stderr). */
  destination?: DestinationStream;
  /** Also keep the last lines in memory (the live log console, the diagnostics bundle). */
  tail?: LogTail;
}

export function defaultLogFormat(stream: { isTTY?: boolean } = process.stderr): LogFormat {
  return stream.isTTY ? 'pretty' : 'json';
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'json';
  const sink = options.destination ?? (format === 'json' ? pino.destination({ fd: 2, sync: false }) : process.stderr);
  const level = options.level ?? process.env.SWITCHBOARD_LOG_LEVEL ?? 'info';
  const out = format === 'pretty' ? prettyStream(sink) : sink;
  return pino(
    {
      level,
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      serializers: LOG_SERIALIZERS,
      base: undefined,
    },
    options.tail ? withTail(out, options.tail) : out,
  );
}

/**
 * Both destinations get every line the logger's level lets through (multistream's own default
 * level would drop debug lines). Redaction ran before either sees the line.
 */
export function withTail(out: DestinationStream, tail: LogTail): DestinationStream {
  return pino.multistream([
    { stream: out, level: 'trace' },
    { stream: tail, level: 'trace' },
  ]);
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** A pino destination that turns each JSON line into one readable line. */
export function prettyStream(sink: { write(chunk: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      sink.write(formatLogLine(line));
    },
  };
}

/** `12:04:05 WARN  model discovery failed providerId=openai err="connect ECONNREFUSED"` */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    // Not a pino line (should not happen): pass it on unchanged rather than lose it.
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const { time, level, msg, err, ...fields } = entry;
  const clock = typeof time === 'number' ? new Date(time).toTimeString().slice(0, 8) : '--:--:--';
  const name = (typeof level === 'number' ? LEVEL_NAMES[level] : undefined) ?? String(level);
  const parts = [clock, name.padEnd(5), typeof msg === 'string' ? msg : ''];
  for (const [key, value] of Object.entries(fields)) parts.push(`${key}=${formatValue(value)}`);
  let text = parts.filter((part) => part !== '').join(' ');
  if (err && typeof err === 'object') {
    const error = err as { message?: unknown; stack?: unknown };
    text += ` err=${formatValue(error.message)}`;
    if (typeof error.stack === 'string' && (typeof level !== 'number' || level >= 50)) text += `\n${indent(error.stack)}`;
  }
  return `${text}\n`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[\w./:@-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n');
}
