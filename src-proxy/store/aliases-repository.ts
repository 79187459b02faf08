import type { AliasCache, AliasInfo, AliasInput, AliasTarget, RoutingRule } from '../domain/alias.ts';
import type { ModelMetadata } from '../domain/model-metadata.ts';
import type { TargetOverrides } from '../domain/overrides.ts';
import { toManagedBy, type ManagedBy } from '../domain/ownership.ts';
import { GatewayError } from '../errors/codes.ts';
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson } from './json-column.ts';
import type { AliasChanges, AliasRepository } from './types.ts';

interface AliasRow {
  alias: string;
  exposed: number;
  metadata: string;
  cache: string | null;
  rules: string;
  created_at: number;
  updated_at: number;
  managed_by: string | null;
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

/**
 * Model aliases with their ordered targets (position 0 is tried first). Create refuses a taken
 * name (409 already_exists), update refuses a missing one; a rename moves the targets along.
 */
export function createAliasRepository(db: SqliteDatabase, now: () => number): AliasRepository {
  const selectAll = db.prepare<[], AliasRow>('SELECT * FROM aliases ORDER BY alias');
  const selectOne = db.prepare<[string], AliasRow>('SELECT * FROM aliases WHERE alias = ?');
  const selectAllTargets = db.prepare<[], TargetRow>('SELECT * FROM alias_targets ORDER BY alias, position');
  const selectTargets = db.prepare<[string], TargetRow>('SELECT * FROM alias_targets WHERE alias = ? ORDER BY position');
  const insert = db.prepare(
    `INSERT INTO aliases (alias, exposed, metadata, cache, rules, created_at, updated_at, managed_by)
     VALUES (@alias, @exposed, @metadata, @cache, @rules, @createdAt, @at, @managedBy)`,
  );
  const updateRow = db.prepare('UPDATE aliases SET exposed = @exposed, metadata = @metadata, cache = @cache, rules = @rules, updated_at = @at WHERE alias = @alias');
  const clearTargets = db.prepare('DELETE FROM alias_targets WHERE alias = ?');
  const insertTarget = db.prepare(
    'INSERT INTO alias_targets (alias, position, provider_id, model, overrides) VALUES (?, ?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM aliases WHERE alias = ?');
  const setManaged = db.prepare('UPDATE aliases SET managed_by = ? WHERE alias = ?');
  const moveTargets = db.prepare('UPDATE alias_targets SET alias = ? WHERE alias = ?');

  function toInfo(row: AliasRow, targets: AliasTarget[]): AliasInfo {
    return {
      alias: row.alias,
      targets,
      rules: readJson<RoutingRule[]>(row.rules, []),
      exposed: row.exposed === 1,
      metadata: readJson<ModelMetadata>(row.metadata, {}),
      cache: row.cache === null ? null : readJson<AliasCache | null>(row.cache, null),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      managedBy: toManagedBy(row.managed_by),
    };
  }

  function get(alias: string): AliasInfo | null {
    const row = selectOne.get(alias);
    return row ? toInfo(row, selectTargets.all(alias).map(toTarget)) : null;
  }

  function writeTargets(alias: string, targets: AliasTarget[]): void {
    clearTargets.run(alias);
    targets.forEach((target, position) => {
      insertTarget.run(alias, position, target.provider, target.model, target.overrides ? writeJson(target.overrides) : null);
    });
  }

  const create = db.transaction((input: AliasInput, managedBy: ManagedBy): void => {
    if (selectOne.get(input.alias)) throw new GatewayError('already_exists', `Alias "${input.alias}" exists`, { param: 'alias' });
    const at = now();
    insert.run({
      alias: input.alias,
      exposed: (input.exposed ?? true) ? 1 : 0,
      metadata: writeJson(input.metadata ?? {}),
      cache: input.cache ? writeJson(input.cache) : null,
      rules: writeJson(input.rules ?? []),
      createdAt: at,
      at,
      managedBy,
    });
    writeTargets(input.alias, input.targets);
  });

  const update = db.transaction((alias: string, changes: AliasChanges): string => {
    const existing = selectOne.get(alias);
    if (!existing) throw new GatewayError('alias_not_found', `Alias "${alias}"`, { param: 'alias' });
    const values = {
      alias,
      exposed: changes.exposed === undefined ? existing.exposed : changes.exposed ? 1 : 0,
      metadata: changes.metadata ? writeJson(changes.metadata) : existing.metadata,
      // undefined keeps the alias's cache setting, null turns it off.
      cache: changes.cache === undefined ? existing.cache : changes.cache === null ? null : writeJson(changes.cache),
      // undefined keeps the rules, [] removes them.
      rules: changes.rules === undefined ? existing.rules : writeJson(changes.rules),
      at: now(),
    };
    updateRow.run(values);
    if (changes.targets) writeTargets(alias, changes.targets);
    const renameTo = changes.newAlias ?? alias;
    if (renameTo === alias) return alias;
    if (selectOne.get(renameTo)) throw new GatewayError('already_exists', `Alias "${renameTo}" exists`, { param: 'newAlias' });
    // New row first, so the targets' foreign key can point at it; then the old row goes.
    insert.run({ ...values, alias: renameTo, createdAt: existing.created_at, managedBy: existing.managed_by });
    moveTargets.run(renameTo, alias);
    remove.run(alias);
    return renameTo;
  });

  function mustGet(alias: string): AliasInfo {
    const info = get(alias);
    if (!info) throw new Error(`Alias ${alias} vanished right after it was written`);
    return info;
  }

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
    create(input, managedBy = null) {
      create.immediate(input, managedBy);
      return mustGet(input.alias);
    },
    update(alias, changes) {
      return mustGet(update.immediate(alias, changes));
    },
    setManagedBy(alias, managedBy) {
      setManaged.run(managedBy, alias);
    },
    delete: (alias) => remove.run(alias).changes > 0,
  };
}
