import { createAliasRepository } from './aliases-repository.ts';
import { createClientSpendRepository } from './client-spend-repository.ts';
import { createAppStateRepository } from './app-state-repository.ts';
import { createClientTokenRepository } from './client-tokens-repository.ts';
import { openDatabase } from './database.ts';
import { DEFAULT_PRICES } from './default-prices.ts';
import { createHistoryRepository } from './history-repository.ts';
import { createKeyRepository } from './keys-repository.ts';
import { runMigrations } from './migrations.ts';
import { createModelCacheRepository } from './models-repository.ts';
import { createPriceRepository } from './prices-repository.ts';
import { createProviderRepository } from './providers-repository.ts';
import { createResponseCacheRepository } from './response-cache-repository.ts';
import { createResponsesRepository } from './responses-repository.ts';
import { createFileKeyCipher } from './secret-cipher.ts';
import { createSettingsRepository } from './settings-repository.ts';
import type { SecretCipher, SqliteStore } from './types.ts';
import type { SqliteDatabase } from './database.ts';

export interface OpenStoreOptions {
  dataDir: string;
  /** Default: AES-256-GCM with `secret.key` in dataDir. */
  cipher?: SecretCipher;
  /** Clock for created/updated timestamps (tests). */
  now?: () => number;
}

/**
 * Opens switchboard.db in dataDir, runs pending migrations, seeds the built-in prices into a
 * fresh database and wires the repositories. Throws GatewayError('database_corrupt' |
 * 'database_schema_mismatch') when the file cannot be used.
 */
export function openStore(options: OpenStoreOptions): SqliteStore {
  const cipher = options.cipher ?? createFileKeyCipher(options.dataDir);
  const { db, path } = openDatabase(options.dataDir);
  return wireSqliteStore({ db, path, cipher, now: options.now ?? Date.now });
}

/**
 * The repositories over an open database (a file, or the PostgreSQL store's in-memory mirror):
 * migrations, the built-in prices on a fresh database, and close. Closes `db` when it fails.
 */
export function wireSqliteStore(options: { db: SqliteDatabase; path: string; cipher: SecretCipher; now: () => number }): SqliteStore {
  const { db, path, cipher, now } = options;
  let closed = false;

  const checkpoint = (): void => {
    db.pragma('wal_checkpoint(TRUNCATE)');
  };

  try {
    const applied = runMigrations(db, undefined, now);
    const prices = createPriceRepository(db);
    if (applied.includes(1)) db.transaction(() => DEFAULT_PRICES.forEach((price) => prices.set(price))).immediate();
    const fts = db.prepare("SELECT 1 AS yes FROM sqlite_master WHERE type = 'table' AND name = 'history_fts'").get() !== undefined;

    const responses = createResponsesRepository(db);
    return {
      kind: 'sqlite',
      path,
      cipher,
      providers: createProviderRepository(db, cipher, now, checkpoint),
      keys: createKeyRepository({ db, cipher, now, checkpoint }),
      aliases: createAliasRepository(db, now),
      clientTokens: createClientTokenRepository({ db, cipher, now }),
      settings: createSettingsRepository(db, cipher),
      models: createModelCacheRepository(db),
      history: createHistoryRepository(db, { fts }),
      prices,
      responses,
      clientSpend: createClientSpendRepository(db),
      appState: createAppStateRepository({ db, cipher, now }),
      responseCache: createResponseCacheRepository(db),
      transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
      checkpoint,
      close() {
        if (closed) return;
        closed = true;
        responses.flush();
        checkpoint();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
