import { DEFAULT_SETTINGS, mergeSettingsPatch, settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from '../domain/settings.ts';
import { parseOrThrow } from '../domain/validation.ts';
import { GatewayError } from '../errors/codes.ts';
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson } from './json-column.ts';
import { isSealedHeaders } from './sealed-headers.ts';
import type { SecretCipher, SettingsRepository } from './types.ts';

type SettingName = keyof Settings;

/** Settings that hold secrets (proxy URLs with passwords): sealed with the store's cipher like keys. */
const SEALED_SETTINGS: ReadonlySet<SettingName> = new Set(['proxies']);
const SEALED_PREFIX = 'sealed:v1:';

function isSettingName(name: string): name is SettingName {
  return Object.prototype.hasOwnProperty.call(DEFAULT_SETTINGS, name);
}

/**
 * Settings: one row per changed setting (JSON value), merged over DEFAULT_SETTINGS, so a new
 * setting added in a later version gets its default without a migration. A stored value that no
 * longer validates (a setting's rules changed) falls back to its default instead of failing.
 * `proxies` (URLs that may carry passwords) is sealed with the store's cipher.
 */
export function createSettingsRepository(db: SqliteDatabase, cipher: SecretCipher): SettingsRepository {
  function encode(name: SettingName, value: unknown): string {
    const text = writeJson(value);
    if (!SEALED_SETTINGS.has(name) || (Array.isArray(value) && value.length === 0)) return text;
    if (!cipher.isAvailable()) throw new GatewayError('secret_storage_unavailable', `Secret storage: ${cipher.description}`);
    return SEALED_PREFIX + cipher.encrypt(text).toString('base64');
  }
  function decode(text: string): unknown {
    if (!isSealedHeaders(text)) return readJson<unknown>(text, null);
    return readJson<unknown>(cipher.decrypt(Buffer.from(text.slice(SEALED_PREFIX.length), 'base64')), null);
  }

  const selectAll = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');

  function get(): Settings {
    const settings: Settings = structuredClone(DEFAULT_SETTINGS);
    const merged: Record<string, unknown> = settings;
    for (const row of selectAll.all()) {
      if (!isSettingName(row.key)) continue;
      const fieldSchema = settingsSchema.shape[row.key];
      let value: unknown;
      try {
        value = decode(row.value);
      } catch {
        // Sealed with a key this machine no longer has: like an invalid value, the default applies
        // (no proxies) rather than the gateway not starting; saving the setting again replaces it.
        continue;
      }
      const parsed = fieldSchema.safeParse(value);
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
      if (isSettingName(name)) upsert.run(name, encode(name, checked[name]));
    }
    return get();
  });

  return { get, update: (patch) => update.immediate(patch) };
}

