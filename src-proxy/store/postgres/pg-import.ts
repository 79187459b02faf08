/**
 * `switchboard migrate`: copies a laptop's SQLite store into an empty PostgreSQL team store, in
 * one transaction. Rows go over by column name (both stores share one schema); secrets are opened
 * with the laptop's key and sealed again with the team key (key and token ciphertexts, app
 * secrets, sealed provider headers and proxies). A target that already holds providers, keys,
 * aliases, clients or history is refused: copying twice would mix two teams' data.
 */
import type pg from 'pg';
import { GatewayError } from '../../errors/codes.ts';
import type { SqliteDatabase } from '../database.ts';
import type { SecretCipher } from '../types.ts';
import { MIRRORED_TABLES } from './pg-mirror.ts';

const SEALED_PREFIX = 'sealed:v1:';

/** Copied in this order (parents first); the response cache is not worth moving. */
const COPIED = [...MIRRORED_TABLES.map((table) => table.name), 'history', 'history_bodies', 'usage_hourly', 'kept_responses'];
/** Tables a fresh team store already fills (built-in prices, the key check): the laptop's rows win. */
const REPLACED = new Set(['prices', 'settings', 'app_state', 'app_secrets']);
const KEYS: Record<string, string> = Object.fromEntries(MIRRORED_TABLES.map((table) => [table.name, table.key.join(', ')]));
/** What makes a target "not empty". */
const OWN_DATA = ['providers', 'provider_keys', 'aliases', 'client_tokens', 'history'];

export interface ImportCounts {
  [table: string]: number;
}

type Row = Record<string, unknown>;

export async function importSqliteIntoPostgres(source: { db: SqliteDatabase; cipher: SecretCipher }, target: { pool: pg.Pool; cipher: SecretCipher }): Promise<ImportCounts> {
  const client = await target.pool.connect();
  try {
    const present: string[] = [];
    for (const table of OWN_DATA) {
      const n = (await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0;
      if (n > 0) present.push(`${n} ${table.replace('_', ' ')}`);
    }
    if (present.length > 0) {
      throw new GatewayError('invalid_request', `The team store already holds data (${present.join(', ')}); migrate copies into an empty store only, so nothing was copied. Point --to at a new database`);
    }
    const reseal = (blob: Buffer): Buffer => target.cipher.encrypt(source.cipher.decrypt(blob));
    const counts: ImportCounts = {};
    await client.query('BEGIN');
    try {
      for (const table of COPIED) {
        const rows = source.db.prepare(`SELECT * FROM ${table}`).all() as Row[];
        counts[table] = rows.length;
        if (rows.length === 0) continue;
        const columns = Object.keys(rows[0]!);
        const conflict = REPLACED.has(table) ? ` ON CONFLICT (${KEYS[table]}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}` : '';
        const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})${conflict}`;
        for (const row of rows) await client.query(sql, columns.map((column) => resealed(table, column, row[column], reseal, source.cipher, target.cipher)));
      }
      // History keeps its sequence numbers: the next row written continues after them.
      await client.query("SELECT setval(pg_get_serial_sequence('history', 'seq'), (SELECT coalesce(max(seq), 0) + 1 FROM history), false)");
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return counts;
  } finally {
    client.release();
  }
}

function resealed(table: string, column: string, value: unknown, reseal: (blob: Buffer) => Buffer, from: SecretCipher, to: SecretCipher): unknown {
  if (column === 'ciphertext' && Buffer.isBuffer(value)) return reseal(value);
  if (table === 'providers' && (column === 'headers' || column === 'proxy') && typeof value === 'string' && value.startsWith(SEALED_PREFIX)) {
    const plain = from.decrypt(Buffer.from(value.slice(SEALED_PREFIX.length), 'base64'));
    return SEALED_PREFIX + to.encrypt(plain).toString('base64');
  }
  return value;
}
