import type { DiscoveredModel, ModelMetadata } from '../domain/model-metadata.ts';
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson } from './json-column.ts';
import type { ModelCacheRepository } from './types.ts';

interface ModelRow {
  provider_id: string;
  model: string;
  metadata: string;
  override: string | null;
  discovered_at: number;
}

function toModel(row: ModelRow): DiscoveredModel {
  return {
    providerId: row.provider_id,
    model: row.model,
    address: `${row.provider_id}/${row.model}`,
    // What the user set wins over what the provider reported.
    metadata: { ...readJson<ModelMetadata>(row.metadata, {}), ...readJson<ModelMetadata>(row.override, {}) },
    discoveredAt: row.discovered_at,
  };
}

/** Models each provider reported at its last refresh, plus the user's metadata overrides. */
export function createModelCacheRepository(db: SqliteDatabase): ModelCacheRepository {
  const selectSql = `SELECT d.provider_id, d.model, d.metadata, o.metadata AS override, d.discovered_at
    FROM discovered_models d
    LEFT JOIN model_metadata_overrides o ON o.provider_id = d.provider_id AND o.model = d.model`;
  const selectAll = db.prepare<[], ModelRow>(`${selectSql} ORDER BY d.provider_id, d.model`);
  const selectForProvider = db.prepare<[string], ModelRow>(`${selectSql} WHERE d.provider_id = ? ORDER BY d.model`);
  const clear = db.prepare('DELETE FROM discovered_models WHERE provider_id = ?');
  const insert = db.prepare(
    'INSERT OR REPLACE INTO discovered_models (provider_id, model, metadata, discovered_at) VALUES (?, ?, ?, ?)',
  );
  const offering = db.prepare<[string], { provider_id: string }>(
    'SELECT DISTINCT provider_id FROM discovered_models WHERE model = ? ORDER BY provider_id',
  );
  const setOverride = db.prepare(
    `INSERT INTO model_metadata_overrides (provider_id, model, metadata) VALUES (?, ?, ?)
     ON CONFLICT(provider_id, model) DO UPDATE SET metadata = excluded.metadata`,
  );

  const replace = db.transaction((providerId: string, models: Array<{ model: string; metadata: ModelMetadata }>, at: number) => {
    clear.run(providerId);
    for (const entry of models) insert.run(providerId, entry.model, writeJson(entry.metadata), at);
  });

  return {
    replace: (providerId, models, at) => replace.immediate(providerId, models, at),
    list: (providerId) => (providerId === undefined ? selectAll.all() : selectForProvider.all(providerId)).map(toModel),
    providersOffering: (model) => offering.all(model).map((row) => row.provider_id),
    setMetadata(providerId, model, metadata) {
      setOverride.run(providerId, model, writeJson(metadata));
    },
  };
}
