/**
 * Kept Responses-API responses (see migrations/003-responses.ts). Written once per kept response
 * at the end of its answer, read when a later request names it in `previous_response_id`.
 *
 * Writes are batched behind: `save` queues the row and one transaction writes every row queued
 * in the next FLUSH_DELAY_MS (its promise settles then). One autocommit per answer was ~11
 * `pwrite`s and an eighth of a translated Responses stream's CPU (README, Performance). Every
 * read, delete and prune writes the queue first, so nothing reads around a queued row; close()
 * writes it too. A crash loses at most the last FLUSH_DELAY_MS of kept responses (the next turn
 * then says "not kept", as after any failed write).
 */
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson, writeJsonText } from './json-column.ts';
import type { KeptResponse, KeptResponseToSave, ResponsesRepository } from './types.ts';

const PRUNE_BATCH_SIZE = 2000;
const FLUSH_DELAY_MS = 100;
/** A queue this long is written at once instead of waiting for the delay. */
const MAX_QUEUED = 256;

/** The SQLite repository: also writes its queue on demand (the store's close). */
export interface SqliteResponsesRepository extends ResponsesRepository {
  flush(): void;
}

interface Batch {
  rows: KeptResponseToSave[];
  done: Promise<void>;
  settle: (error?: unknown) => void;
}

export interface KeptResponseRow {
  id: string;
  owner: string;
  previous_id: string | null;
  created_at: number;
  input: string;
  response: string;
}

export function createResponsesRepository(db: SqliteDatabase): SqliteResponsesRepository {
  const insert = db.prepare(
    `INSERT INTO kept_responses (id, owner, previous_id, created_at, input, response) VALUES (@id, @owner, @previousId, @createdAt, @input, @response)
     ON CONFLICT(id) DO UPDATE SET previous_id = excluded.previous_id, created_at = excluded.created_at, input = excluded.input, response = excluded.response
     WHERE kept_responses.owner = excluded.owner`,
  );
  // The owner is part of every lookup: another client's id reads as "not kept".
  const select = db.prepare<[string, string], KeptResponseRow>('SELECT id, owner, previous_id, created_at, input, response FROM kept_responses WHERE id = ? AND owner = ?');
  const remove = db.prepare('DELETE FROM kept_responses WHERE id = ? AND owner = ?');
  const removeById = db.prepare('DELETE FROM kept_responses WHERE id = ?');
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM kept_responses WHERE id = ?');
  const selectOld = db.prepare<[number, number], { id: string }>('SELECT id FROM kept_responses WHERE created_at < ? LIMIT ?');
  const removeMany = db.transaction((ids: string[]) => {
    for (const id of ids) removeById.run(id);
  });
  const insertMany = db.transaction((rows: KeptResponseToSave[]) => {
    for (const response of rows) {
      insert.run({
        id: response.id,
        owner: response.owner,
        previousId: response.previousResponseId,
        createdAt: response.createdAt,
        input: writeJson(response.input),
        response: writeJsonText(response.response),
      });
    }
  });

  let batch: Batch | null = null;
  let timer: NodeJS.Timeout | null = null;
  /** Writes the queued rows in one transaction (in save order: a later save of an id wins). */
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const current = batch;
    batch = null;
    if (!current) return;
    try {
      // Serialised here, off the answer's path (a kept response is not changed after its save).
      insertMany.immediate(current.rows);
      current.settle();
    } catch (error) {
      current.settle(error);
    }
  };
  const queue = (row: KeptResponseToSave): Promise<void> => {
    if (!batch) {
      let settle!: (error?: unknown) => void;
      const done = new Promise<void>((resolve, reject) => (settle = (error) => (error === undefined ? resolve() : reject(error))));
      batch = { rows: [], done, settle };
      timer = setTimeout(flush, FLUSH_DELAY_MS);
      timer.unref();
    }
    const { done } = batch;
    batch.rows.push(row);
    if (batch.rows.length >= MAX_QUEUED) flush();
    return done;
  };

  return {
    flush,
    save(response) {
      return queue(response);
    },
    async get(id, owner) {
      flush();
      const row = select.get(id, owner);
      return row ? keptResponseOf(row) : null;
    },
    async isKept(id) {
      flush();
      return exists.get(id) !== undefined;
    },
    async delete(id, owner) {
      flush();
      return remove.run(id, owner).changes > 0;
    },
    async prune(olderThan) {
      flush();
      let removed = 0;
      for (;;) {
        const ids = selectOld.all(olderThan, PRUNE_BATCH_SIZE).map((row) => row.id);
        if (ids.length === 0) break;
        // One short transaction per batch: the write lock is shared with the history recorder.
        removeMany.immediate(ids);
        removed += ids.length;
      }
      return removed;
    },
  };
}

/** A kept_responses row as the repositories return it (SQLite and PostgreSQL share the columns). */
export function keptResponseOf(row: KeptResponseRow): KeptResponse {
  return {
    id: row.id,
    owner: row.owner,
    previousResponseId: row.previous_id,
    createdAt: row.created_at,
    input: readJson<unknown[]>(row.input, []),
    response: readJson<Record<string, unknown>>(row.response, {}),
  };
}

export type { KeptResponse };
