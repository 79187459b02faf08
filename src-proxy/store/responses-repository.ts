/**
 * Kept Responses-API responses (see migrations/003-responses.ts). Written once per kept response
 * at the end of its answer, read when a later request names it in `previous_response_id`.
 */
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson } from './json-column.ts';
import type { KeptResponse, ResponsesRepository } from './types.ts';

const PRUNE_BATCH_SIZE = 2000;

export interface KeptResponseRow {
  id: string;
  owner: string;
  previous_id: string | null;
  created_at: number;
  input: string;
  response: string;
}

export function createResponsesRepository(db: SqliteDatabase): ResponsesRepository {
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

  return {
    async save(response) {
      insert.run({
        id: response.id,
        owner: response.owner,
        previousId: response.previousResponseId,
        createdAt: response.createdAt,
        input: writeJson(response.input),
        response: writeJson(response.response),
      });
    },
    async get(id, owner) {
      const row = select.get(id, owner);
      return row ? keptResponseOf(row) : null;
    },
    async isKept(id) {
      return exists.get(id) !== undefined;
    },
    async delete(id, owner) {
      return remove.run(id, owner).changes > 0;
    },
    async prune(olderThan) {
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
