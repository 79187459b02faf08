import type { HistoryRow } from '../domain/history.ts';
import type { HistoryRecord } from '../domain/history.ts';
import type { HistoryRepository } from '../store/types.ts';

export interface HistoryRecorderOptions {
  history: HistoryRepository;
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Rows just written (list fields only, no bodies), e.g. for the live history view. */
  onFlushed?(rows: HistoryRow[]): void;
  /** A batch that could not be written; its rows are dropped so memory stays bounded. */
  onError?(error: unknown, droppedRows: number): void;
}

export interface HistoryRecorder {
  record(record: HistoryRecord): void;
  flush(): void;
  close(): void;
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
  };
}

/**
 * Keeps history writes off the request path: `record` only queues; a timer (unref'd, so it never
 * keeps the process alive) writes queued rows in one transaction per batch of `maxBatch`.
 * A full batch is written on the next turn of the event loop rather than waiting for the timer.
 * Nothing here throws into request handling: write failures go to `onError`.
 */
export function createHistoryRecorder(options: HistoryRecorderOptions): HistoryRecorder {
  const { history, flushIntervalMs = 250, maxBatch = 200, onFlushed } = options;
  const onError =
    options.onError ??
    ((error: unknown, dropped: number) => {
      console.error(`switchboard: could not write ${dropped} history row(s)`, error);
    });
  let queue: HistoryRecord[] = [];
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let closed = false;

  function cancelScheduled(): void {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
  }

  function notify(rows: HistoryRow[]): void {
    if (!onFlushed) return;
    try {
      onFlushed(rows);
    } catch (error) {
      onError(error, 0);
    }
  }

  function flush(): void {
    cancelScheduled();
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        history.insertBatch(batch);
      } catch (error) {
        onError(error, batch.length);
        continue;
      }
      notify(batch.map(toHistoryRow));
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
    record(record) {
      if (closed) {
        onError(new Error('The history recorder is closed; the request was not recorded'), 1);
        return;
      }
      queue.push(record);
      schedule();
    },
    flush,
    close() {
      if (closed) return;
      flush();
      closed = true;
    },
  };
}
