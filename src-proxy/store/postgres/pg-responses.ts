/**
 * Kept Responses-API responses on the team store: in PostgreSQL, not in the instance's mirror, so
 * a Codex conversation continued through another instance (or after a restart) finds its earlier
 * turns. The response is written when its answer completes, while its last bytes go out; the next
 * turn may reach another instance before that write commits, so a lookup that misses looks once
 * more after a short wait before it says "not kept".
 */
import type pg from 'pg';
import { writeJson, writeJsonText } from '../json-column.ts';
import { keptResponseOf, type KeptResponseRow } from '../responses-repository.ts';
import type { ResponsesRepository } from '../types.ts';

const COLUMNS = 'id, owner, previous_id, created_at, input, response';

export interface PgResponsesOptions {
  /** How long a missed lookup waits before its second look. Default 150 ms. */
  settleMs?: number;
}

export function createPgResponsesRepository(pool: pg.Pool, options: PgResponsesOptions = {}): ResponsesRepository {
  const settleMs = options.settleMs ?? 150;
  const select = async (id: string, owner: string) =>
    (await pool.query<KeptResponseRow>(`SELECT ${COLUMNS} FROM kept_responses WHERE id = $1 AND owner = $2`, [id, owner])).rows[0];

  return {
    async save(response) {
      await pool.query(
        `INSERT INTO kept_responses (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET previous_id = excluded.previous_id, created_at = excluded.created_at, input = excluded.input, response = excluded.response
         WHERE kept_responses.owner = excluded.owner`,
        [response.id, response.owner, response.previousResponseId, response.createdAt, writeJson(response.input), writeJsonText(response.response)],
      );
    },
    async get(id, owner) {
      let row = await select(id, owner);
      if (!row && settleMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        row = await select(id, owner);
      }
      return row ? keptResponseOf(row) : null;
    },
    async isKept(id) {
      return (await pool.query('SELECT 1 FROM kept_responses WHERE id = $1', [id])).rowCount! > 0;
    },
    async delete(id, owner) {
      return (await pool.query('DELETE FROM kept_responses WHERE id = $1 AND owner = $2', [id, owner])).rowCount! > 0;
    },
    async prune(olderThan) {
      return (await pool.query('DELETE FROM kept_responses WHERE created_at < $1', [olderThan])).rowCount ?? 0;
    },
  };
}
