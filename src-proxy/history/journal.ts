/**
 * The history journal: a durable append of each request's history row before the last byte of
 * its answer is sent, so a kill -9 loses no request a client saw answered in full.
 *
 * Rows reach SQLite in batches off the request path (recorder.ts); until a batch is committed
 * they live only in memory. The journal closes that gap: every row is appended here first — one
 * write() per turn of the event loop for all rows that finished in it (group commit) — and the
 * answers wait for that write. A write() into the page cache survives the process being killed
 * (not a power loss, like the database's synchronous=NORMAL). Once SQLite holds every queued row
 * the journal is cut back to empty; at start, whatever it still holds is replayed into SQLite,
 * skipping rows the database already has.
 *
 * Lines are JSON arrays (positional, no keys: cheaper to write on the hot path). The file holds
 * what the history holds — bodies only with body capture on, headers already redacted — and is
 * created 0600 like the database.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync, chmodSync } from 'node:fs';
import { claimJournalSlot } from './journal-slot.ts';
import type { Attempt, HistoryRecord } from '../domain/history.ts';

const FORMAT = 1;

export interface HistoryJournal {
  /** Appends lines (each ending in \n) with one write. */
  append(text: string): void;
  /** Empties the journal (every row in it is committed to SQLite). */
  clear(): void;
  /** Rows left by a previous process, oldest first; lines cut short by a crash are skipped. */
  leftover(): HistoryRecord[];
  close(): void;
}

/** Opens the journal this process owns in dataDir (journal-slot.ts: several processes may share it). */
export function openHistoryJournal(dataDir: string): HistoryJournal {
  const slot = claimJournalSlot(dataDir);
  const path = slot.path;
  const created = !existsSync(path);
  const fd = openSync(path, 'a+', 0o600);
  if (created && process.platform !== 'win32') chmodSync(path, 0o600);
  let holdsRows = true;
  return {
    append(text) {
      writeSync(fd, text);
      holdsRows = true;
    },
    clear() {
      if (!holdsRows) return;
      ftruncateSync(fd, 0);
      holdsRows = false;
    },
    leftover() {
      const text = readFileSync(path, 'utf8');
      holdsRows = text.length > 0;
      const records: HistoryRecord[] = [];
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const record = decodeJournalLine(line);
        if (record) records.push(record);
      }
      return records;
    },
    close() {
      closeSync(fd);
      slot.release();
    },
  };
}

/**
 * The row's fields in journal order. Every field of HistoryRecord must be listed (checked below at
 * compile time), so a field added to the history cannot silently miss the journal.
 */
const FIELDS = [
  'id', 'startedAt', 'durationMs', 'ttftMs', 'dialect', 'endpoint', 'client', 'requestedModel', 'provider', 'upstreamModel',
  'attempts', 'status', 'errorCode', 'stream', 'inputTokens', 'outputTokens', 'cache', 'cacheReadTokens', 'cacheWriteTokens',
  'estimated', 'errorMessage', 'requestHeaders', 'bodies', 'notes', 'sessionId', 'routeRule', 'loop', 'commands', 'clientAddress',
] as const satisfies ReadonlyArray<keyof HistoryRecord>;
// costUsd is worked out when rows are listed (from today's prices), never stored.
type Unlisted = Exclude<keyof HistoryRecord, (typeof FIELDS)[number] | 'costUsd'>;
const everyFieldListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFieldListed;
const ATTEMPTS = FIELDS.indexOf('attempts');
/** Lines written before `notes` and the guardrail fields (sessionId …) end after 'bodies'; those fields read as absent. */
const SHORTEST = FIELDS.indexOf('bodies') + 1;
const NOTES = FIELDS.indexOf('notes');

/** One row as a journal line. `attemptsJson` is the same text the database row stores. */
export function encodeJournalLine(record: HistoryRecord, attemptsJson: string): string {
  // Sized once (pushing 30 values grew the array four times per row).
  const values = new Array<unknown>(FIELDS.length + 1);
  values[0] = FORMAT;
  for (let i = 0; i < FIELDS.length; i++) values[i + 1] = i === ATTEMPTS ? attemptsJson : record[FIELDS[i]!];
  return `${JSON.stringify(values)}\n`;
}

/** A journal line back as a row, or null when the line is cut short or not ours. */
export function decodeJournalLine(line: string): HistoryRecord | null {
  let values: unknown[];
  try {
    values = JSON.parse(line) as unknown[];
  } catch {
    return null;
  }
  if (!Array.isArray(values) || values[0] !== FORMAT || values.length < SHORTEST + 1 || values.length > FIELDS.length + 1 || typeof values[1] !== 'string') return null;
  // A line written before `notes` existed lacks it: read as no notes.
  if (values.length === NOTES + 1) values.push([]);
  const record: Record<string, unknown> = {};
  FIELDS.forEach((field, index) => {
    if (index + 1 < values.length) record[field] = values[index + 1];
  });
  record.attempts = JSON.parse(values[ATTEMPTS + 1] as string) as Attempt[];
  // Written by this module from a HistoryRecord; read back whole or not at all.
  return record as unknown as HistoryRecord;
}
