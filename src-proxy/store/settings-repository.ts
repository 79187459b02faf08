import { DEFAULT_SETTINGS, mergeSettingsPatch, settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from '../domain/settings.ts';
import { parseOrThrow } from '../domain/validation.ts';
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson } from './json-column.ts';
import type { SettingsRepository } from './types.ts';

type SettingName = keyof Settings;

function isSettingName(name: string): name is SettingName {
  return Object.prototype.hasOwnProperty.call(DEFAULT_SETTINGS, name);
}

/**
 * Settings: one row per changed setting (JSON value), merged over DEFAULT_SETTINGS, so a new
 * setting added in a later version gets its default without a migration. A stored value that no
 * longer validates (a setting's rules changed) falls back to its default instead of failing.
 */
export function createSettingsRepository(db: SqliteDatabase): SettingsRepository {
  const selectAll = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');

  function get(): Settings {
    const settings: Settings = structuredClone(DEFAULT_SETTINGS);
    const merged: Record<string, unknown> = settings;
    for (const row of selectAll.all()) {
      if (!isSettingName(row.key)) continue;
      const fieldSchema = settingsSchema.shape[row.key];
      const parsed = fieldSchema.safeParse(readJson<unknown>(row.value, null));
      if (parsed.success) merged[row.key] = parsed.data;
    }
    return settings;
  }

  const update = db.transaction((patch: SettingsPatch): Settings => {
    const valid = parseOrThrow(settingsPatchSchema, patch, 'Settings');
    const current = get();
    const next = mergeSettingsPatch(current, valid);
    const checked = parseOrThrow(settingsSchema, next, 'Settings');
    for (const name of Object.keys(valid)) {
      if (isSettingName(name)) upsert.run(name, writeJson(checked[name]));
    }
    return get();
  });

  return { get, update: (patch) => update.immediate(patch) };
}

