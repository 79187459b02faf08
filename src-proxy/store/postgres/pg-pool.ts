/**
 * The connection pool of a PostgreSQL store. Integers come back as numbers (BIGINT holds
 * millisecond times and counters far below 2^53; SUM and COUNT results too), so rows read here
 * look like the SQLite rows the repositories already map. Connection failures become
 * GatewayError('store_unreachable') with the URL's password hidden: the URL is a secret.
 */
import { createRequire } from 'node:module';
import type pg from 'pg';
import { GatewayError } from '../../errors/codes.ts';
import { redactStoreSecrets, redactStoreUrl } from '../store-url.ts';

// The driver is loaded with the first team-store connection: the SQLite default never needs it.
let driver: typeof pg | null = null;
const loadPg = (): typeof pg => (driver ??= createRequire(import.meta.url)('pg') as typeof pg);

const INT8 = 20;
const NUMERIC = 1700;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return loadPg().types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

export interface PgPoolOptions {
  /** Connections this instance may hold at most. Default 10. */
  max?: number;
  connectTimeoutMs?: number;
}

export function createPgPool(url: string, options: PgPoolOptions = {}): pg.Pool {
  const pool = new (loadPg().Pool)({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    types,
    application_name: 'switchboard',
  });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** A new client outside the pool (LISTEN needs its own long-lived connection). */
export function createPgClient(url: string, connectTimeoutMs = 10_000): pg.Client {
  return new (loadPg().Client)({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, types, application_name: 'switchboard-listen' });
}

/** The error a failed connection or query becomes, with the URL's secrets removed. */
export function storeError(url: string, error: unknown, doing = 'connect to'): GatewayError {
  if (error instanceof GatewayError) return error;
  const detail = redactStoreSecrets(error instanceof Error ? error.message : String(error), url);
  return new GatewayError('store_unreachable', `Could not ${doing} ${redactStoreUrl(url)} (${detail})`);
}
