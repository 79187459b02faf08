import type { HistoryRecord, HistoryRow } from '../domain/history.ts';
import type { HistoryRepository, QueuedHistoryRecord } from '../store/types.ts';
import { encodeJournalLine, type HistoryJournal } from './journal.ts';

export interface HistoryRecorderOptions {
  history: HistoryRepository;
  /** Durable append before the answer's last byte (journal.ts); without it rows wait in memory only. */
  journal?: HistoryJournal;
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Rows just written (list fields only, no bodies), e.g. for the live history view. */
  onFlushed?(rows: HistoryRow[]): void;
  /** Whether anyone reads onFlushed now (the list projection is skipped otherwise). */
  hasListeners?(): boolean;
  /** A batch that could not be written; its rows are dropped so memory stays bounded. */
  onError?(error: unknown, droppedRows: number): void;
}

export interface HistoryRecorder {
  record(record: HistoryRecord): void;
  /** Resolves once every row recorded so far is durable (in the journal or the database). */
  durable(): Promise<void>;
  flush(): void;
  /** Resolves once rows handed to a server-backed history (a team store) are written. */
  settled(): Promise<void>;
  close(): void;
  /** Rows a killed process left in the journal and this start put into the database. */
  readonly replayed: number;
}

/** The list-view projection of a record: exactly the HistoryRow fields. */
export function toHistoryRow(record: HistoryRecord): HistoryRow {
  return {
    id: record.id,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    ttftMs: record.ttftMs,
    dialect: record.dialect,
    endpoint: record.endpoint,
    client: record.client,
    requestedModel: record.requestedModel,
    provider: record.provider,
    upstreamModel: record.upstreamModel,
    attempts: record.attempts,
    status: record.status,
    cache: record.cache,
    errorCode: record.errorCode,
    stream: record.stream,
    inputTokens: record.inputTokens,
    outputTokens: record.outputTokens,
    sessionId: record.sessionId ?? null,
    routeRule: record.routeRule ?? null,
    loop: record.loop ?? null,
    commands: record.commands ?? null,
  };
}

const RESOLVED = Promise.resolve();
const REPLAY_BATCH = 500;

/**
 * Keeps history writes off the request path: `record` only queues; a timer (unref'd, so it never
 * keeps the process alive) writes queued rows in one transaction per batch of `maxBatch`.
 * A full batch is written on the next turn of the event loop rather than waiting for the timer.
 * With a journal, each row is also appended there at the end of the current turn (one write for
 * every row of the turn), and `durable()` lets an answer wait for that before its last byte.
 * Nothing here throws into request handling: write failures go to `onError`.
 */
export function createHistoryRecorder(options: HistoryRecorderOptions): HistoryRecorder {
  const { history, journal, flushIntervalMs = 250, maxBatch = 200, onFlushed } = options;
  const onError =
    options.onError ??
    ((error: unknown, dropped: number) => {
      console.error(`switchboard: could not write ${dropped} history row(s)`, error);
    });
  let queue: QueuedHistoryRecord[] = [];
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let closed = false;
  /** Journal lines of rows recorded this turn, not yet written. */
  let unwritten: string[] = [];
  let journalWrite: NodeJS.Immediate | null = null;
  let waiting: { promise: Promise<void>; resolve: () => void } | null = null;

  /** Writes that go to a server (a team store) and have not finished yet; the journal waits for them. */
  let pending: Array<Promise<void>> = [];
  const replay = journal ? replayJournal(journal, history, onError) : { written: 0, done: null };
  const replayed = replay.written;

  function cancelScheduled(): void {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
  }

  function notify(batch: QueuedHistoryRecord[]): void {
    if (!onFlushed || options.hasListeners?.() === false) return;
    try {
      onFlushed(batch.map(toHistoryRow));
    } catch (error) {
      onError(error, 0);
    }
  }

  /** The group commit: this turn's rows in one write, then the answers waiting on them go. */
  function writeJournal(): void {
    if (journalWrite) clearImmediate(journalWrite);
    journalWrite = null;
    if (unwritten.length > 0 && journal) {
      const text = unwritten.length === 1 ? unwritten[0]! : unwritten.join('');
      unwritten = [];
      try {
        journal.append(text);
      } catch (error) {
        // The rows still reach the database on the next flush; only their crash safety is lost.
        onError(error, 0);
      }
    }
    const released = waiting;
    waiting = null;
    released?.resolve();
  }

  /**
   * A server's write in flight: the journal is emptied only once it and every earlier one are in
   * the database (and `complete`: no batch of it failed), with nothing queued behind them.
   */
  function awaitServer(write: Promise<void>, complete: boolean): void {
    pending.push(write);
    const done = () => {
      pending = pending.filter((other) => other !== write);
    };
    write.then(
      () => {
        done();
        if (complete && pending.length === 0 && queue.length === 0) clearJournal();
      },
      done,
    );
  }

  // A team store's replay finishes later: the leftover stays in the journal until the server has
  // it (a crash meanwhile replays it again; its inserts skip ids it already has).
  if (replay.done) awaitServer(replay.done, true);

  function flush(): void {
    cancelScheduled();
    writeJournal();
    let complete = true;
    const writes: Array<Promise<void>> = [];
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      let written: void | Promise<void>;
      try {
        written = history.insertBatch(batch);
      } catch (error) {
        complete = false;
        onError(error, batch.length);
        continue;
      }
      if (written instanceof Promise) {
        writes.push(
          written.then(
            () => notify(batch),
            (error: unknown) => {
              onError(error, batch.length);
              throw error;
            },
          ),
        );
      } else notify(batch);
    }
    if (!journal) return;
    if (writes.length === 0) {
      // Every journaled row is in the database now; rows of a failed batch stay for the next start.
      if (complete) clearJournal();
      return;
    }
    // A server's write: the journal is cleared only once every batch so far is in the database.
    awaitServer(Promise.all([...pending, ...writes]).then(() => undefined), complete);
  }

  function clearJournal(): void {
    try {
      journal?.clear();
    } catch (error) {
      onError(error, 0);
    }
  }

  function schedule(): void {
    if (queue.length >= maxBatch) {
      if (!immediate) {
        immediate = setImmediate(flush);
        immediate.unref();
      }
    } else if (!timer) {
      timer = setTimeout(flush, flushIntervalMs);
      timer.unref();
    }
  }

  return {
    replayed,
    record(record) {
      if (closed) {
        onError(new Error('The history recorder is closed; the request was not recorded'), 1);
        return;
      }
      const queued = record as QueuedHistoryRecord;
      // Serialised once, for the journal line and the database row alike.
      queued.attemptsJson = JSON.stringify(record.attempts);
      if (journal) {
        unwritten.push(encodeJournalLine(record, queued.attemptsJson));
        if (!journalWrite) journalWrite = setImmediate(writeJournal);
      }
      queue.push(queued);
      schedule();
    },
    durable() {
      if (unwritten.length === 0) return RESOLVED;
      if (!waiting) {
        let resolve!: () => void;
        const promise = new Promise<void>((done) => (resolve = done));
        waiting = { promise, resolve };
      }
      return waiting.promise;
    },
    flush,
    async settled() {
      await Promise.allSettled(pending);
    },
    close() {
      if (closed) return;
      flush();
      closed = true;
      journal?.close();
    },
  };
}

/**
 * Puts rows a killed process left in the journal into the database (those it lacks). A local
 * store has them at once and the journal is emptied here; a server's writes finish later (`done`),
 * and the caller empties the journal only once they have.
 */
function replayJournal(journal: HistoryJournal, history: HistoryRepository, onError: (error: unknown, dropped: number) => void): { written: number; done: Promise<void> | null } {
  let leftover: HistoryRecord[];
  try {
    leftover = journal.leftover();
  } catch (error) {
    onError(error, 0);
    return { written: 0, done: null };
  }
  // A store whose inserts skip ids it has (a team store) takes the whole leftover.
  const missing = history.idempotentInserts ? leftover : leftover.filter((record) => !history.has(record.id));
  let written = 0;
  const writes: Array<Promise<void>> = [];
  for (let start = 0; start < missing.length; start += REPLAY_BATCH) {
    const batch = missing.slice(start, start + REPLAY_BATCH);
    try {
      const done = history.insertBatch(batch);
      if (done instanceof Promise) {
        writes.push(
          done.catch((error: unknown) => {
            onError(error, batch.length);
            throw error;
          }),
        );
      }
      written += batch.length;
    } catch (error) {
      onError(error, batch.length);
    }
  }
  if (writes.length > 0) return { written, done: Promise.all(writes).then(() => undefined) };
  journal.clear();
  return { written, done: null };
}
