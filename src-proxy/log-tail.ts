/**
 * The engine's last log lines in memory: a bounded ring the logger writes to (next to stderr or
 * the desktop log file), read by the live log console and the diagnostics bundle. Lines arrive
 * already redacted (the logger redacts before any destination).
 */
import { LOG_LEVELS, levelRank, type LogEntry, type LogLevelName, type LogTailQuery } from './domain/log-entry.ts';

export const DEFAULT_LOG_TAIL_LINES = 2000;
const MAX_FIELDS_CHARS = 4000;

export interface LogTail {
  /** A pino destination: one JSON line per call. */
  write(line: string): void;
  /** The newest lines matching the query, oldest first. */
  read(query?: LogTailQuery): LogEntry[];
  /** Called for each new line; returns the unsubscribe. */
  subscribe(listener: (entry: LogEntry) => void): () => void;
}

const PINO_LEVELS: Record<number, LogLevelName> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export function createLogTail(capacity = DEFAULT_LOG_TAIL_LINES): LogTail {
  const ring: LogEntry[] = [];
  let next = 0;
  let seq = 0;
  const listeners = new Set<(entry: LogEntry) => void>();

  return {
    write(line) {
      const entry = parseLine(line, ++seq);
      if (ring.length < capacity) ring.push(entry);
      else ring[next] = entry;
      next = (next + 1) % capacity;
      for (const listener of [...listeners]) listener(entry);
    },
    read(query = {}) {
      const ordered = ring.length < capacity ? ring : [...ring.slice(next), ...ring.slice(0, next)];
      const floor = query.level ? levelRank(query.level) : 0;
      const after = query.afterSeq ?? 0;
      const matching = ordered.filter((entry) => entry.seq > after && levelRank(entry.level) >= floor);
      return matching.slice(-(query.limit ?? capacity));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** A pino JSON line (or any text, kept as the message) as an entry. */
export function parseLine(line: string, seq: number): LogEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { seq, time: Date.now(), level: 'info', msg: line.trimEnd(), fields: '' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { seq, time: Date.now(), level: 'info', msg: line.trimEnd(), fields: '' };
  const { time, level, msg, ...rest } = parsed as Record<string, unknown>;
  const name = typeof level === 'number' ? (PINO_LEVELS[level] ?? 'info') : typeof level === 'string' && (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevelName) : 'info';
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return {
    seq,
    time: typeof time === 'number' ? time : Date.now(),
    level: name,
    msg: typeof msg === 'string' ? msg : '',
    fields: fields.length > MAX_FIELDS_CHARS ? `${fields.slice(0, MAX_FIELDS_CHARS)}…` : fields,
  };
}
