import type { ProviderLimits } from '../domain/governance.ts';
import { toManagedBy, type ManagedBy } from '../domain/ownership.ts';
import type { ProviderInput, ProviderOptions, ProviderRecord } from '../domain/provider.ts';
import { GatewayError } from '../errors/codes.ts';
import type { SqliteDatabase } from './database.ts';
import { readJson, writeJson } from './json-column.ts';
import { isSealedHeaders, openHeaders, sealHeaders } from './sealed-headers.ts';
import type { ProviderChanges, ProviderRepository, SecretCipher } from './types.ts';

interface ProviderRow {
  id: string;
  kind: ProviderRecord['kind'];
  name: string;
  base_url: string;
  headers: string;
  enabled: number;
  options: string;
  limits: string;
  proxy: string;
  proxy_pool: string;
  http2: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  managed_by: string | null;
}

/**
 * Header values that cannot be opened (the key file or OS keyring changed) leave the provider
 * listed with no headers and secret_unavailable as its last error, like a key that cannot be
 * opened: the dashboard still lists it, and says to re-enter them.
 */
function openRowHeaders(row: ProviderRow, cipher: SecretCipher): { headers: Record<string, string>; proxy: string | null; error: string | null } {
  try {
    return { headers: openHeaders(cipher, row.headers), proxy: openHeaders(cipher, row.proxy).url ?? null, error: null };
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== 'secret_unavailable') throw error;
    return { headers: {}, proxy: null, error: `${error.message} (the provider's header values or proxy)` };
  }
}

function toRecord(row: ProviderRow, cipher: SecretCipher): ProviderRecord {
  const opened = openRowHeaders(row, cipher);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.base_url,
    headers: opened.headers,
    enabled: row.enabled === 1,
    options: readJson<ProviderOptions>(row.options, {}),
    limits: readJson<ProviderLimits>(row.limits, {}),
    proxy: opened.proxy,
    proxyPool: readJson<string[]>(row.proxy_pool, []),
    http2: row.http2 === 1,
    lastError: opened.error ?? row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    managedBy: toManagedBy(row.managed_by),
  };
}

/**
 * Providers by id. Create refuses a taken id (409 already_exists) and update refuses a missing
 * one, so a typo in a form can never replace a working provider. Renaming moves the provider's
 * keys, discovered models, metadata overrides and alias targets to the new id in one transaction.
 * Header values are sealed with the store's cipher like keys (a second auth header is a secret
 * too); maps an older version stored in clear are sealed when the store opens.
 */
export function createProviderRepository(db: SqliteDatabase, cipher: SecretCipher, now: () => number, checkpoint: () => void): ProviderRepository {
  const selectAll = db.prepare<[], ProviderRow>('SELECT * FROM providers ORDER BY rowid');
  const selectOne = db.prepare<[string], ProviderRow>('SELECT * FROM providers WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO providers (id, kind, name, base_url, headers, enabled, options, limits, proxy, proxy_pool, http2, last_error, created_at, updated_at, managed_by)
     VALUES (@id, @kind, @name, @baseUrl, @headers, @enabled, @options, @limits, @proxy, @proxyPool, @http2, @lastError, @createdAt, @at, @managedBy)`,
  );
  const update = db.prepare(
    `UPDATE providers SET kind = @kind, name = @name, base_url = @baseUrl, headers = @headers,
       enabled = @enabled, options = @options, limits = @limits, proxy = @proxy, proxy_pool = @proxyPool, http2 = @http2, updated_at = @at WHERE id = @id`,
  );
  const remove = db.prepare('DELETE FROM providers WHERE id = ?');
  const setError = db.prepare('UPDATE providers SET last_error = ? WHERE id = ?');
  const setManaged = db.prepare('UPDATE providers SET managed_by = ? WHERE id = ?');
  const setHeaders = db.prepare('UPDATE providers SET headers = ? WHERE id = ?');
  const moveChildren = ['provider_keys', 'discovered_models', 'model_metadata_overrides', 'alias_targets'].map((table) =>
    db.prepare(`UPDATE ${table} SET provider_id = ? WHERE provider_id = ?`),
  );

  function mustGet(id: string): ProviderRecord {
    const row = selectOne.get(id);
    if (!row) throw new GatewayError('provider_not_found', `Provider "${id}"`, { param: 'id' });
    return toRecord(row, cipher);
  }

  /** `from` carries the edited fields; the new row is written first so the children can point at it. */
  const rename = db.transaction((from: ProviderRecord, to: string): void => {
    insert.run({ ...values(from), id: to, lastError: from.lastError, createdAt: from.createdAt, managedBy: from.managedBy });
    for (const statement of moveChildren) statement.run(to, from.id);
    remove.run(from.id);
  });

  function values(record: Omit<ProviderRecord, 'lastError' | 'createdAt' | 'updatedAt' | 'managedBy'>) {
    return {
      id: record.id,
      kind: record.kind,
      name: record.name,
      baseUrl: record.baseUrl,
      headers: sealHeaders(cipher, record.headers),
      enabled: record.enabled ? 1 : 0,
      options: writeJson(record.options),
      limits: writeJson(record.limits),
      // The proxy URL may carry a password: sealed like the header map.
      proxy: sealHeaders(cipher, record.proxy ? { url: record.proxy } : {}),
      proxyPool: writeJson(record.proxyPool),
      http2: record.http2 ? 1 : 0,
      at: now(),
    };
  }

  sealClearHeaders();

  /** Seals header maps an older version stored in clear, then checkpoints so the clear text leaves the WAL. */
  function sealClearHeaders(): void {
    // Without a cipher yet (an OS keyring not ready), the maps stay readable and are sealed at a later open.
    if (!cipher.isAvailable()) return;
    const clear = selectAll.all().filter((row) => !isSealedHeaders(row.headers) && Object.keys(readJson<Record<string, string>>(row.headers, {})).length > 0);
    if (clear.length === 0) return;
    db.transaction(() => clear.forEach((row) => setHeaders.run(sealHeaders(cipher, readJson<Record<string, string>>(row.headers, {})), row.id))).immediate();
    checkpoint();
  }

  return {
    list: () => selectAll.all().map((row) => toRecord(row, cipher)),
    get(id) {
      const row = selectOne.get(id);
      return row ? toRecord(row, cipher) : null;
    },
    create(input: ProviderInput, managedBy: ManagedBy = null) {
      if (selectOne.get(input.id)) throw new GatewayError('already_exists', `Provider id "${input.id}" is taken`, { param: 'id' });
      const record = {
        id: input.id,
        kind: input.kind,
        name: input.name ?? input.id,
        baseUrl: input.baseUrl,
        headers: input.headers ?? {},
        enabled: input.enabled ?? true,
        options: input.options ?? {},
        limits: input.limits ?? {},
        proxy: input.proxy ?? null,
        proxyPool: input.proxyPool ?? [],
        http2: input.http2 ?? false,
      };
      const at = now();
      insert.run({ ...values(record), lastError: null, createdAt: at, managedBy });
      return mustGet(input.id);
    },
    update(id: string, changes: ProviderChanges) {
      const existing = mustGet(id);
      const renameTo = changes.newId !== undefined && changes.newId !== id ? changes.newId : null;
      if (renameTo !== null && selectOne.get(renameTo)) {
        throw new GatewayError('already_exists', `Provider id "${renameTo}" is taken`, { param: 'newId' });
      }
      const next = {
        id,
        kind: changes.kind ?? existing.kind,
        name: changes.name ?? existing.name,
        baseUrl: changes.baseUrl ?? existing.baseUrl,
        headers: changes.headers ?? existing.headers,
        enabled: changes.enabled ?? existing.enabled,
        options: changes.options ?? existing.options,
        limits: changes.limits ?? existing.limits,
        proxy: changes.proxy === undefined ? existing.proxy : changes.proxy,
        proxyPool: changes.proxyPool ?? existing.proxyPool,
        http2: changes.http2 ?? existing.http2,
      };
      if (renameTo === null) {
        update.run(values(next));
        return mustGet(id);
      }
      rename.immediate({ ...existing, ...next }, renameTo);
      return mustGet(renameTo);
    },
    setManagedBy(id, managedBy) {
      setManaged.run(managedBy, id);
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
