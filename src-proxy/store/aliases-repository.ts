import type { AliasInfo, AliasInput, AliasTarget } from '../domain/alias.ts';
import type { ModelMetadata } from '../domain/model-metadata.ts';
import type { TargetOverrides } from '../domain/overrides.ts';
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson } from './json-column.ts';
import type { AliasRepository } from './types.ts';

interface AliasRow {
  alias: string;
  exposed: number;
  metadata: string;
  created_at: number;
  updated_at: number;
}

interface TargetRow {
  alias: string;
  provider_id: string;
  model: string;
  overrides: string | null;
}

function toTarget(row: TargetRow): AliasTarget {
  const target: AliasTarget = { provider: row.provider_id, model: row.model };
  if (row.overrides !== null) target.overrides = readJson<TargetOverrides>(row.overrides, {});
  return target;
}

/** Model aliases with their ordered targets (position 0 is tried first). */
export function createAliasRepository(db: SqliteDatabase, now: () => number): AliasRepository {
  const selectAll = db.prepare<[], AliasRow>('SELECT * FROM aliases ORDER BY alias');
  const selectOne = db.prepare<[string], AliasRow>('SELECT * FROM aliases WHERE alias = ?');
  const selectAllTargets = db.prepare<[], TargetRow>('SELECT * FROM alias_targets ORDER BY alias, position');
  const selectTargets = db.prepare<[string], TargetRow>('SELECT * FROM alias_targets WHERE alias = ? ORDER BY position');
  const insert = db.prepare(
    'INSERT INTO aliases (alias, exposed, metadata, created_at, updated_at) VALUES (@alias, @exposed, @metadata, @at, @at)',
  );
  const update = db.prepare('UPDATE aliases SET exposed = @exposed, metadata = @metadata, updated_at = @at WHERE alias = @alias');
  const clearTargets = db.prepare('DELETE FROM alias_targets WHERE alias = ?');
  const insertTarget = db.prepare(
    'INSERT INTO alias_targets (alias, position, provider_id, model, overrides) VALUES (?, ?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM aliases WHERE alias = ?');

  function toInfo(row: AliasRow, targets: AliasTarget[]): AliasInfo {
    return {
      alias: row.alias,
      targets,
      exposed: row.exposed === 1,
      metadata: readJson<ModelMetadata>(row.metadata, {}),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  function get(alias: string): AliasInfo | null {
    const row = selectOne.get(alias);
    return row ? toInfo(row, selectTargets.all(alias).map(toTarget)) : null;
  }

  const upsert = db.transaction((input: AliasInput): void => {
    const existing = selectOne.get(input.alias);
    const values = {
      alias: input.alias,
      exposed: (input.exposed ?? (existing ? existing.exposed === 1 : true)) ? 1 : 0,
      metadata: input.metadata ? writeJson(input.metadata) : (existing?.metadata ?? '{}'),
      at: now(),
    };
    (existing ? update : insert).run(values);
    clearTargets.run(input.alias);
    input.targets.forEach((target, position) => {
      insertTarget.run(input.alias, position, target.provider, target.model, target.overrides ? writeJson(target.overrides) : null);
    });
  });

  return {
    list() {
      const targets = new Map<string, AliasTarget[]>();
      for (const row of selectAllTargets.all()) {
        const list = targets.get(row.alias) ?? [];
        list.push(toTarget(row));
        targets.set(row.alias, list);
      }
      return selectAll.all().map((row) => toInfo(row, targets.get(row.alias) ?? []));
    },
    get,
    upsert(input) {
      upsert.immediate(input);
      const info = get(input.alias);
      if (!info) throw new Error(`Alias ${input.alias} vanished right after it was written`);
      return info;
    },
    delete: (alias) => remove.run(alias).changes > 0,
  };
}
