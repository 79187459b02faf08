import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ClientTokenInfo } from '../domain/client-token.ts';
import type { ClientGovernancePatch, ClientLimits } from '../domain/governance.ts';
import { toManagedBy } from '../domain/ownership.ts';
import { GatewayError } from '../errors/codes.ts';
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson } from './json-column.ts';
import { maskSecret } from './mask.ts';
import type { ClientTokenRepository, SecretCipher } from './types.ts';

export const MIN_CLIENT_TOKEN_LENGTH = 16;

interface TokenRow {
  id: string;
  name: string;
  token_hash: Buffer;
  ciphertext: Buffer | null;
  hint: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  enabled: number;
  expires_at: number | null;
  models: string | null;
  limits: string;
  managed_by: string | null;
}

function toInfo(row: TokenRow): ClientTokenInfo {
  return {
    id: row.id,
    name: row.name,
    hint: row.hint,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    enabled: row.enabled === 1,
    expiresAt: row.expires_at,
    models: readJson<string[] | null>(row.models, null),
    limits: readJson<ClientLimits>(row.limits, {}),
    managedBy: toManagedBy(row.managed_by),
  };
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** `sb-` + 32 random bytes in base64url (43 characters). */
export function generateClientToken(): string {
  return `sb-${randomBytes(32).toString('base64url')}`;
}

/**
 * Client tokens. The SHA-256 hash is what requests are checked against; the ciphertext exists
 * only so export and "connect a tool" can show a token again, and is dropped on revoke.
 */
export function createClientTokenRepository(deps: { db: SqliteDatabase; cipher: SecretCipher; now: () => number }): ClientTokenRepository {
  const { db, cipher, now } = deps;
  const selectAll = db.prepare<[], TokenRow>('SELECT * FROM client_tokens ORDER BY rowid');
  const selectLive = db.prepare<[], TokenRow>('SELECT * FROM client_tokens WHERE revoked_at IS NULL ORDER BY rowid');
  const selectOne = db.prepare<[string], TokenRow>('SELECT * FROM client_tokens WHERE id = ?');
  const selectHash = db.prepare<[string], Pick<TokenRow, 'token_hash'>>('SELECT token_hash FROM client_tokens WHERE id = ?');
  const selectLiveByName = db.prepare<[string], TokenRow>('SELECT * FROM client_tokens WHERE name = ? AND revoked_at IS NULL');
  const insert = db.prepare(
    'INSERT INTO client_tokens (id, name, token_hash, ciphertext, hint, created_at, managed_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const rename = db.prepare('UPDATE client_tokens SET name = ? WHERE id = ?');
  const setManaged = db.prepare('UPDATE client_tokens SET managed_by = ? WHERE id = ?');
  const replaceToken = db.prepare('UPDATE client_tokens SET token_hash = ?, ciphertext = ?, hint = ? WHERE id = ?');
  const revoke = db.prepare('UPDATE client_tokens SET revoked_at = ?, ciphertext = NULL WHERE id = ? AND revoked_at IS NULL');
  const touch = db.prepare('UPDATE client_tokens SET last_used_at = ? WHERE id = ?');
  const setGovernance = db.prepare('UPDATE client_tokens SET enabled = ?, expires_at = ?, models = ?, limits = ? WHERE id = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM client_tokens');

  function checkToken(name: string, token: string): Buffer {
    if (token.length < MIN_CLIENT_TOKEN_LENGTH) {
      throw new GatewayError('invalid_request', `The token of client "${name}" must be at least ${MIN_CLIENT_TOKEN_LENGTH} characters`);
    }
    const hash = hashToken(token);
    const clash = selectLive.all().find((row) => row.name !== name && timingSafeEqual(row.token_hash, hash));
    if (clash) throw new GatewayError('invalid_request', `Client "${name}" uses the same token as client "${clash.name}"`);
    return hash;
  }

  /** Without secret storage the token still works (the hash), it just cannot be shown again. */
  function seal(token: string): Buffer | null {
    return cipher.isAvailable() ? cipher.encrypt(token) : null;
  }

  function mustGet(id: string): TokenRow {
    const row = selectOne.get(id);
    if (!row) throw new GatewayError('client_token_not_found', `Client token ${id}`);
    return row;
  }

  function mustGetLive(id: string): TokenRow {
    const row = mustGet(id);
    if (row.revoked_at !== null) throw new GatewayError('client_token_not_found', `Client token ${id} was revoked`);
    return row;
  }

  /** Writes the governance fields a patch sets; the others keep their stored value. */
  function govern(id: string, patch: ClientGovernancePatch | undefined): void {
    if (!patch) return;
    const current = toInfo(mustGet(id));
    const models = patch.models === undefined ? current.models : patch.models;
    setGovernance.run(
      (patch.enabled ?? current.enabled) ? 1 : 0,
      patch.expiresAt === undefined ? current.expiresAt : patch.expiresAt,
      models === null ? null : writeJson(models),
      writeJson(patch.limits ?? current.limits),
      id,
    );
  }

  return {
    list: () => selectAll.all().map(toInfo),
    get(id) {
      const row = selectOne.get(id);
      return row ? toInfo(row) : null;
    },
    fingerprint(id) {
      const row = selectHash.get(id);
      return row ? row.token_hash.subarray(0, 16).toString('hex') : null;
    },
    create(name, token, governance, managedBy = null) {
      if (selectLiveByName.get(name)) throw new GatewayError('already_exists', `A client token named "${name}" exists`, { param: 'name' });
      const plaintext = token ?? generateClientToken();
      const hash = checkToken(name, plaintext);
      const id = randomUUID();
      db.transaction(() => {
        insert.run(id, name, hash, seal(plaintext), maskSecret(plaintext), now(), managedBy);
        govern(id, governance);
      }).immediate();
      return { ...toInfo(mustGet(id)), token: plaintext };
    },
    upsertByName(name, token, governance) {
      const hash = checkToken(name, token);
      const existing = selectLiveByName.get(name);
      const id = existing?.id ?? randomUUID();
      const before = existing ? JSON.stringify(toInfo(existing)) : null;
      const sameToken = existing !== undefined && timingSafeEqual(existing.token_hash, hash);
      db.transaction(() => {
        if (!existing) insert.run(id, name, hash, seal(token), maskSecret(token), now(), null);
        else if (!sameToken) replaceToken.run(hash, seal(token), maskSecret(token), id);
        govern(id, governance);
      }).immediate();
      const info = toInfo(mustGet(id));
      const change = !existing ? 'added' : !sameToken || JSON.stringify(info) !== before ? 'changed' : 'none';
      return { info, change };
    },
    rename(id, name) {
      const row = mustGet(id);
      if (row.name === name) return toInfo(row);
      if (selectLiveByName.get(name)) throw new GatewayError('already_exists', `A client token named "${name}" exists`, { param: 'name' });
      rename.run(name, id);
      return toInfo(mustGet(id));
    },
    setManagedBy(id, managedBy) {
      setManaged.run(managedBy, id);
    },
    reveal(id) {
      const row = selectOne.get(id);
      if (!row || row.revoked_at !== null || row.ciphertext === null) return null;
      return cipher.decrypt(row.ciphertext);
    },
    setGovernance(id, patch) {
      mustGetLive(id);
      govern(id, patch);
      return toInfo(mustGet(id));
    },
    rotate(id) {
      const row = mustGetLive(id);
      const plaintext = generateClientToken();
      replaceToken.run(checkToken(row.name, plaintext), seal(plaintext), maskSecret(plaintext), id);
      return { ...toInfo(mustGet(id)), token: plaintext };
    },
    revoke: (id) => revoke.run(now(), id).changes > 0,
    verify(presented) {
      const hash = hashToken(presented);
      let match: TokenRow | null = null;
      // Compare against every live token without stopping early, so timing says nothing about
      // which (or whether a) token matched.
      for (const row of selectLive.all()) {
        if (timingSafeEqual(row.token_hash, hash) && match === null) match = row;
      }
      return match ? toInfo(match) : null;
    },
    touch(id, at) {
      touch.run(at, id);
    },
    revealAll() {
      return selectLive
        .all()
        .filter((row): row is TokenRow & { ciphertext: Buffer } => row.ciphertext !== null)
        .map((row) => ({ name: row.name, token: cipher.decrypt(row.ciphertext) }));
    },
    isEmpty: () => (count.get()?.n ?? 0) === 0,
  };
}
