import type { SqliteDatabase } from './database.ts';
import type { AppStateRepository, SecretCipher } from './types.ts';

/**
 * Switchboard's own small facts: plain values (the config file last applied) and secrets (the
 * dashboard admin token), the latter encrypted with the store's cipher like provider keys.
 */
export function createAppStateRepository(deps: { db: SqliteDatabase; cipher: SecretCipher; now: () => number }): AppStateRepository {
  const { db, cipher, now } = deps;
  const selectValue = db.prepare<[string], { value: string }>('SELECT value FROM app_state WHERE name = ?');
  const upsertValue = db.prepare('INSERT INTO app_state (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
  const deleteValue = db.prepare('DELETE FROM app_state WHERE name = ?');
  const selectSecret = db.prepare<[string], { ciphertext: Buffer }>('SELECT ciphertext FROM app_secrets WHERE name = ?');
  const upsertSecret = db.prepare(
    'INSERT INTO app_secrets (name, ciphertext, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at',
  );

  return {
    get: (name) => selectValue.get(name)?.value ?? null,
    set(name, value) {
      if (value === null) deleteValue.run(name);
      else upsertValue.run(name, value);
    },
    getSecret(name) {
      const row = selectSecret.get(name);
      return row ? cipher.decrypt(row.ciphertext) : null;
    },
    setSecret(name, value) {
      upsertSecret.run(name, cipher.encrypt(value), now());
    },
  };
}
