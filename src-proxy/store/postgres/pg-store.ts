/**
 * The team store: PostgreSQL shared by several instances. Configuration (providers, keys,
 * aliases, clients, settings, prices, app state with the admin token) lives in an in-memory
 * SQLite mirror that the ordinary repositories read synchronously, loaded at start and pulled
 * again when another instance says it changed something (LISTEN/NOTIFY); writes go to the mirror
 * at once and through to PostgreSQL right after (sync() awaits them: the control API does after
 * each operation that configures). History and its reports live only in PostgreSQL (async reads),
 * spend is added there as increments. Kept Responses and the response cache are PostgreSQL
 * tables every instance reads (pg-responses.ts, pg-team-cache.ts); with --shared the response
 * cache lives on the shared server instead.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { GatewayError } from '../../errors/codes.ts';
import { wireSqliteStore } from '../create-store.ts';
import { redactStoreSecrets, redactStoreUrl } from '../store-url.ts';
import type { ClientSpendRepository, SecretCipher, SpendDelta, Store, StoreHealth } from '../types.ts';
import { createTableMirror, MIRRORED_TABLES } from './pg-mirror.ts';
import { readMigrationState, runPgMigrations } from './pg-migrate.ts';
import { createPgClient, createPgPool, storeError } from './pg-pool.ts';
import { createPgHistoryRepository } from './pg-history.ts';
import { createPgResponsesRepository } from './pg-responses.ts';
import { createPgTeamCache } from './pg-team-cache.ts';
import { trackWrites } from './track-writes.ts';

export const CHANGE_CHANNEL = 'switchboard_store';
const KEY_CHECK_NAME = 'team-key-check';
const KEY_CHECK_TEXT = 'switchboard team key check';

export interface OpenPostgresStoreOptions {
  url: string;
  /** Encrypts provider keys and app secrets at rest; every instance of the team needs the same. */
  cipher: SecretCipher;
  now?: () => number;
  /** Longest wait before usage-only writes (last used, last error, discovered models) go out. Default 1000 ms. */
  backgroundPushMs?: number;
  /** Background failures (a push, the change listener); they are retried. */
  onError?(error: unknown): void;
}

export async function openPostgresStore(options: OpenPostgresStoreOptions): Promise<Store> {
  const { url, cipher } = options;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? ((error: unknown) => console.error('switchboard: team store', redactStoreSecrets(String(error), url)));
  const backgroundPushMs = options.backgroundPushMs ?? 1000;
  const instance = randomUUID();
  const pool = createPgPool(url);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw storeError(url, error);
  }
  const db = new Database(':memory:');
  let listener: pg.Client | null = null;
  try {
    await runPgMigrations(pool, undefined, now);
    await checkTeamKey(pool, cipher, now);
    db.pragma('foreign_keys = ON');
    const local = wireSqliteStore({ db, path: redactStoreUrl(url), cipher, now });
    const mirror = createTableMirror(db);

    const history = createPgHistoryRepository({ pool, now, onError });
    const listeners = new Set<() => void>();
    const dirty = new Set<string>();
    let announce = false;
    let chain: Promise<void> = Promise.resolve();
    let pushTimer: NodeJS.Timeout | null = null;
    let closed = false;
    let spendQueue: SpendDelta[] = [];

    /** Runs tasks one after the other (a pull never overtakes a push of ours). */
    const enqueue = (task: () => Promise<void>): Promise<void> => {
      const run = chain.then(task);
      chain = run.catch(() => undefined);
      return run;
    };

    let pushSoon = false;
    /** A write on the request path costs a Set add: one timer per push, never one per write. */
    function changed(tables: readonly string[], urgent: boolean): void {
      for (const table of tables) dirty.add(table);
      if (closed) return;
      if (urgent) announce = true;
      // A pending background push is not postponed by further writes (it would never run under load).
      if (pushTimer && (pushSoon || !urgent)) return;
      if (pushTimer) clearTimeout(pushTimer);
      pushSoon = urgent;
      pushTimer = setTimeout(() => void push().catch(onError), urgent ? 0 : backgroundPushMs);
      pushTimer.unref();
    }

    /** Our changed tables to PostgreSQL; on failure they stay dirty and are retried. Call inside the chain. */
    async function pushNow(): Promise<void> {
      if (dirty.size === 0) return;
      const tables = [...dirty];
      const tell = announce;
      dirty.clear();
      announce = false;
      try {
        await withClient(pool, (client) =>
          mirror.push(client, tables, async (names) => {
            // Usage-only changes (last used…) are not worth a reload on every instance.
            if (tell) await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, `${instance} ${names.join(',')}`]);
          }),
        );
      } catch (error) {
        for (const table of tables) dirty.add(table);
        if (tell) announce = true;
        if (!closed) {
          pushTimer = setTimeout(() => void push().catch(onError), backgroundPushMs);
          pushTimer.unref();
        }
        throw storeError(url, error, 'write to');
      }
    }

    function push(): Promise<void> {
      if (pushTimer) clearTimeout(pushTimer);
      pushTimer = null;
      pushSoon = false;
      return enqueue(pushNow);
    }

    function writeSpend(): Promise<void> {
      return enqueue(async () => {
        if (spendQueue.length === 0) return;
        const rows = spendQueue;
        spendQueue = [];
        try {
          await withClient(pool, async (client) => {
            await client.query('BEGIN');
            for (const { client: name, period, totals } of rows) {
              await client.query(
                `INSERT INTO client_spend (client, period, requests, input_tokens, output_tokens, cost_usd, unpriced_requests)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (client, period) DO UPDATE SET
                   requests = client_spend.requests + excluded.requests, input_tokens = client_spend.input_tokens + excluded.input_tokens,
                   output_tokens = client_spend.output_tokens + excluded.output_tokens, cost_usd = client_spend.cost_usd + excluded.cost_usd,
                   unpriced_requests = client_spend.unpriced_requests + excluded.unpriced_requests`,
                [name, period, totals.requests, totals.inputTokens, totals.outputTokens, totals.costUsd, totals.unpricedRequests],
              );
            }
            // Others read spend from their mirror: they pull this table (no configuration refresh).
            await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, `${instance} client_spend`]);
            await client.query('COMMIT');
          });
        } catch (error) {
          // Kept for the next write: spend is never dropped for a passing outage.
          spendQueue = [...rows, ...spendQueue];
          throw storeError(url, error, 'write spend to');
        }
      });
    }

    const clientSpend: ClientSpendRepository = {
      read: (client, periods) => local.clientSpend.read(client, periods),
      add(rows) {
        if (rows.length === 0) return;
        local.clientSpend.add(rows);
        spendQueue.push(...rows);
        void writeSpend().catch(onError);
      },
      forget(client) {
        local.clientSpend.forget(client);
        void enqueue(async () => void (await pool.query('DELETE FROM client_spend WHERE client = $1', [client]))).catch(onError);
      },
      pruneDaysBefore(day) {
        const removed = local.clientSpend.pruneDaysBefore(day);
        void enqueue(async () => void (await pool.query('DELETE FROM client_spend WHERE length(period) = 10 AND period < $1', [day]))).catch(onError);
        return removed;
      },
    };

    /** Another instance changed tables: our pending writes go first, then theirs come in. */
    function pullFromOthers(tables?: readonly string[], refresh = true): Promise<void> {
      return enqueue(async () => {
        // Unwritten changes of ours would be overwritten by the pull: they go out first.
        await pushNow();
        await withClient(pool, (client) => mirror.pull(client, tables));
      }).then(() => {
        if (!refresh) return;
        for (const notify of listeners) {
          try {
            notify();
          } catch (error) {
            onError(error);
          }
        }
      });
    }

    let reconnects = 0;
    let listenReady!: { resolve: () => void; reject: (error: unknown) => void };
    const firstListen = new Promise<void>((resolve, reject) => (listenReady = { resolve, reject }));
    async function listen(): Promise<void> {
      while (!closed) {
        const client = createPgClient(url);
        try {
          await client.connect();
          await client.query(`LISTEN ${CHANGE_CHANNEL}`);
          // close() ran while connecting: it ends only a listener it can see.
          if (closed) break;
          listener = client;
          client.on('notification', (message) => {
            const [from, names] = (message.payload ?? '').split(' ');
            if (from === instance) return;
            const tables = names ? names.split(',').filter((name) => MIRRORED_TABLES.some((table) => table.name === name)) : undefined;
            const spendOnly = tables?.length === 1 && tables[0] === 'client_spend';
            void pullFromOthers(tables, !spendOnly).catch(onError);
          });
          const ended = new Promise<void>((resolve) => {
            client.once('end', () => resolve());
            client.once('error', () => resolve());
          });
          // Reconnected after a gap: notices may have been missed, so read everything again.
          if (reconnects++ > 0) void pullFromOthers().catch(onError);
          else listenReady.resolve();
          await ended;
        } catch (error) {
          if (reconnects === 0) {
            // The first connection failed: opening the store fails (it would miss every change).
            listenReady.reject(storeError(url, error, 'listen for changes on'));
            return;
          }
          if (!closed) onError(storeError(url, error, 'listen for changes on'));
        } finally {
          listener = null;
          await client.end().catch(() => undefined);
        }
        if (!closed) await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
    }
    const listening = listen();
    // Listening before the first read: a change made between the two is heard, not missed.
    try {
      await firstListen;
      await enqueue(() => withClient(pool, (client) => mirror.pull(client)));
    } catch (error) {
      closed = true;
      await (listener as pg.Client | null)?.end().catch(() => undefined);
      await listening;
      throw error;
    }

    const tracked = trackWrites(local, changed);
    const store: Store = {
      ...tracked,
      kind: 'postgres',
      path: redactStoreUrl(url),
      history,
      clientSpend,
      responses: createPgResponsesRepository(pool),
      teamCache: createPgTeamCache(pool),
      async sync() {
        await push();
        await writeSpend();
        await history.settled();
      },
      async exclusive(name, fn) {
        return withClient(pool, async (client) => {
          await client.query('SELECT pg_advisory_lock(hashtext($1))', [`switchboard:${name}`]);
          try {
            // What an instance that held the lock before us wrote (its notice may not be here yet).
            await pullFromOthers();
            const result = await fn();
            await push();
            return result;
          } finally {
            await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`switchboard:${name}`]);
          }
        });
      },
      onRemoteChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async health(): Promise<StoreHealth> {
        try {
          const state = await readMigrationState(pool);
          return { reachable: true, migrations: { current: state.current, latest: state.latest } };
        } catch (error) {
          return { reachable: false, migrations: { current: 0, latest: 0 }, error: storeError(url, error).message };
        }
      },
      async close() {
        if (closed) return;
        try {
          await push().catch(onError);
          await writeSpend().catch(onError);
          await history.settled();
        } finally {
          closed = true;
          if (pushTimer) clearTimeout(pushTimer);
          await listener?.end().catch(() => undefined);
          await listening;
          await pool.end().catch(() => undefined);
          local.close();
        }
      },
    };
    return store;
  } catch (error) {
    if (db.open) db.close();
    await pool.end().catch(() => undefined);
    throw error instanceof GatewayError ? error : storeError(url, error, 'open');
  }
}

async function withClient<T>(pool: pg.Pool, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await use(client);
  } finally {
    client.release();
  }
}

/**
 * The first instance stores a value sealed with the team key; every later one must open it, so a
 * wrong key is refused at start instead of failing on each provider key later.
 */
export async function checkTeamKey(pool: pg.Pool, cipher: SecretCipher, now: () => number): Promise<void> {
  await pool.query('INSERT INTO app_secrets (name, ciphertext, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
    KEY_CHECK_NAME,
    cipher.encrypt(KEY_CHECK_TEXT),
    now(),
  ]);
  const stored = (await pool.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM app_secrets WHERE name = $1', [KEY_CHECK_NAME])).rows[0];
  let opened: string | null = null;
  try {
    opened = stored ? cipher.decrypt(stored.ciphertext) : null;
  } catch {
    opened = null;
  }
  if (opened !== KEY_CHECK_TEXT) throw new GatewayError('secret_key_mismatch');
}
