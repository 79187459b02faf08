import type { ProviderLimits } from '../domain/governance.ts';
import type { ProviderInput, ProviderOptions } from '../domain/provider.ts';
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson } from './json-column.ts';
import type { ProviderRecord } from '../domain/provider.ts';
import type { ProviderRepository } from './types.ts';

interface ProviderRow {
  id: string;
  kind: ProviderRecord['kind'];
  name: string;
  base_url: string;
  headers: string;
  enabled: number;
  options: string;
  limits: string;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

function toRecord(row: ProviderRow): ProviderRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.base_url,
    headers: readJson<Record<string, string>>(row.headers, {}),
    enabled: row.enabled === 1,
    options: readJson<ProviderOptions>(row.options, {}),
    limits: readJson<ProviderLimits>(row.limits, {}),
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Providers by id. `upsert` keeps the stored value of every optional field the input leaves
 * out, so a config file that omits `headers` does not wipe headers set in the UI.
 * Header values are stored as given: secrets belong in keys, which are encrypted.
 */
export function createProviderRepository(db: SqliteDatabase, now: () => number, checkpoint: () => void): ProviderRepository {
  const selectAll = db.prepare<[], ProviderRow>('SELECT * FROM providers ORDER BY rowid');
  const selectOne = db.prepare<[string], ProviderRow>('SELECT * FROM providers WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO providers (id, kind, name, base_url, headers, enabled, options, limits, created_at, updated_at)
     VALUES (@id, @kind, @name, @baseUrl, @headers, @enabled, @options, @limits, @at, @at)`,
  );
  const update = db.prepare(
    `UPDATE providers SET kind = @kind, name = @name, base_url = @baseUrl, headers = @headers,
       enabled = @enabled, options = @options, limits = @limits, updated_at = @at WHERE id = @id`,
  );
  const remove = db.prepare('DELETE FROM providers WHERE id = ?');
  const setError = db.prepare('UPDATE providers SET last_error = ? WHERE id = ?');

  return {
    list: () => selectAll.all().map(toRecord),
    get(id) {
      const row = selectOne.get(id);
      return row ? toRecord(row) : null;
    },
    upsert(input: ProviderInput) {
      const existingRow = selectOne.get(input.id);
      const existing = existingRow ? toRecord(existingRow) : null;
      const values = {
        id: input.id,
        kind: input.kind,
        name: input.name ?? existing?.name ?? input.id,
        baseUrl: input.baseUrl,
        headers: writeJson(input.headers ?? existing?.headers ?? {}),
        enabled: (input.enabled ?? existing?.enabled ?? true) ? 1 : 0,
        options: writeJson(input.options ?? existing?.options ?? {}),
        limits: writeJson(input.limits ?? existing?.limits ?? {}),
        at: now(),
      };
      (existing ? update : insert).run(values);
      const row = selectOne.get(input.id);
      if (!row) throw new Error(`Provider ${input.id} vanished right after it was written`);
      return toRecord(row);
    },
    delete(id) {
      // Its keys go with it (ON DELETE CASCADE); checkpoint so their ciphertext leaves the disk.
      const deleted = remove.run(id).changes > 0;
      if (deleted && !db.inTransaction) checkpoint();
      return deleted;
    },
    setLastError(id, message) {
      setError.run(message, id);
    },
  };
}
