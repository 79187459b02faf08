import type { KeyInfo } from '../domain/provider.ts';
import { toManagedBy } from '../domain/ownership.ts';
import { GatewayError } from '../errors/codes.ts';
import { assertSecretText } from '../domain/secret-text.ts';
import type { SqliteDatabase } from './database.ts';
import { decodeKeyMaterial, type KeyMaterial, type KeyType } from '../domain/provider-key.ts';
import { maskProxyUrl } from '../domain/proxy-url.ts';
import { maskKeySecret, maskSecret, secretTail } from './mask.ts';
import type { KeyRepository, ProviderKeySecret, SecretCipher } from './types.ts';

interface KeyRow {
  id: number;
  provider_id: string;
  label: string;
  ciphertext: Buffer;
  masked: string;
  enabled: number;
  last_error: string | null;
  last_used_at: number | null;
  cooldown_until: number | null;
  created_at: number;
  managed_by: string | null;
  kind: string;
  proxy: string | null;
}

function toInfo(row: KeyRow): KeyInfo {
  return {
    id: row.id,
    providerId: row.provider_id,
    label: row.label,
    masked: row.masked,
    enabled: row.enabled === 1,
    lastError: row.last_error,
    lastUsedAt: row.last_used_at,
    cooldownUntil: row.cooldown_until,
    createdAt: row.created_at,
    managedBy: toManagedBy(row.managed_by),
    type: row.kind === 'oauth2' ? 'oauth2' : 'key',
    proxy: row.proxy,
  };
}

/** What is stored in clear beside a key's ciphertext: masked forms only. */
function clearColumns(material: KeyMaterial): { masked: string; tail: string; kind: KeyType; proxy: string | null } {
  const proxy = material.proxy ? maskProxyUrl(material.proxy) : null;
  if (material.type === 'oauth2') return { masked: `OAuth2 ${maskSecret(material.clientId)}`, tail: secretTail(material.clientId), kind: 'oauth2', proxy };
  return { ...maskKeySecret(material.secret), kind: 'key', proxy };
}

/**
 * Provider keys, encrypted with the store's cipher; only the masked form and a display tail are
 * stored in clear. Deleting a key checkpoints the WAL so, with secure_delete, its ciphertext is
 * gone from disk right away.
 */
export function createKeyRepository(deps: {
  db: SqliteDatabase;
  cipher: SecretCipher;
  now: () => number;
  checkpoint: () => void;
}): KeyRepository {
  const { db, cipher, now, checkpoint } = deps;
  const selectAll = db.prepare<[], KeyRow>('SELECT * FROM provider_keys ORDER BY id');
  const selectForProvider = db.prepare<[string], KeyRow>('SELECT * FROM provider_keys WHERE provider_id = ? ORDER BY id');
  const selectOne = db.prepare<[number], KeyRow>('SELECT * FROM provider_keys WHERE id = ?');
  const providerExists = db.prepare<[string], { id: string }>('SELECT id FROM providers WHERE id = ?');
  const countForProvider = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM provider_keys WHERE provider_id = ?');
  const insert = db.prepare(
    `INSERT INTO provider_keys (provider_id, label, ciphertext, masked, last4, enabled, created_at, updated_at, managed_by, kind, proxy)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
  );
  const updateSecret = db.prepare(
    `UPDATE provider_keys SET ciphertext = ?, masked = ?, last4 = ?, kind = ?, proxy = ?, last_error = NULL, cooldown_until = NULL, updated_at = ?
     WHERE id = ?`,
  );
  const updateEnabled = db.prepare('UPDATE provider_keys SET enabled = ?, updated_at = ? WHERE id = ?');
  const updateLabel = db.prepare('UPDATE provider_keys SET label = ?, updated_at = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM provider_keys WHERE id = ?');
  const updateUse = db.prepare('UPDATE provider_keys SET last_used_at = ? WHERE id = ?');
  const updateError = db.prepare('UPDATE provider_keys SET last_error = ?, cooldown_until = ? WHERE id = ?');
  const setManaged = db.prepare('UPDATE provider_keys SET managed_by = ? WHERE id = ?');

  function seal(secret: string): Buffer {
    // The last guard for every way a key arrives (UI, config file, CLI): it must fit a header line.
    assertSecretText(secret, 'key');
    if (!cipher.isAvailable()) throw new GatewayError('secret_storage_unavailable', `Secret storage: ${cipher.description}`);
    return cipher.encrypt(secret);
  }

  function mustGet(keyId: number): KeyRow {
    const row = selectOne.get(keyId);
    if (!row) throw new GatewayError('key_not_found', `Key ${keyId}`);
    return row;
  }

  return {
    list(providerId) {
      return (providerId === undefined ? selectAll.all() : selectForProvider.all(providerId)).map(toInfo);
    },
    get(keyId) {
      const row = selectOne.get(keyId);
      return row ? toInfo(row) : null;
    },
    secretsFor(providerId): ProviderKeySecret[] {
      return selectForProvider.all(providerId).map((row) => ({
        id: row.id,
        label: row.label,
        enabled: row.enabled === 1,
        reveal: () => cipher.decrypt(row.ciphertext),
      }));
    },
    add(providerId, secret, label, managedBy = null) {
      if (!providerExists.get(providerId)) throw new GatewayError('provider_not_found', `Provider "${providerId}"`);
      const ciphertext = seal(secret);
      const at = now();
      const count = countForProvider.get(providerId)?.n ?? 0;
      const clear = clearColumns(decodeKeyMaterial(secret));
      const result = insert.run(providerId, label?.trim() || `Key ${count + 1}`, ciphertext, clear.masked, clear.tail, at, at, managedBy, clear.kind, clear.proxy);
      return toInfo(mustGet(Number(result.lastInsertRowid)));
    },
    replace(keyId, secret) {
      mustGet(keyId);
      const clear = clearColumns(decodeKeyMaterial(secret));
      updateSecret.run(seal(secret), clear.masked, clear.tail, clear.kind, clear.proxy, now(), keyId);
      // The old ciphertext was overwritten in place; push it out of the WAL too.
      if (!db.inTransaction) checkpoint();
      return toInfo(mustGet(keyId));
    },
    rename(keyId, label) {
      mustGet(keyId);
      updateLabel.run(label.trim(), now(), keyId);
      return toInfo(mustGet(keyId));
    },
    setEnabled(keyId, enabled) {
      mustGet(keyId);
      updateEnabled.run(enabled ? 1 : 0, now(), keyId);
      return toInfo(mustGet(keyId));
    },
    delete(keyId) {
      const deleted = remove.run(keyId).changes > 0;
      if (deleted && !db.inTransaction) checkpoint();
      return deleted;
    },
    setManagedBy(keyId, managedBy) {
      setManaged.run(managedBy, keyId);
    },
    recordUse(keyId, at) {
      updateUse.run(at, keyId);
    },
    recordError(keyId, message, cooldownUntil) {
      updateError.run(message, cooldownUntil, keyId);
    },
    revealAll(providerId) {
      return selectForProvider.all(providerId).map((row) => cipher.decrypt(row.ciphertext));
    },
  };
}
