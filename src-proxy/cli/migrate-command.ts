/**
 * `switchboard migrate --from sqlite:PATH --to postgres://…`: moves a laptop's data folder
 * (switchboard.db and its secret.key) into an empty team store, secrets sealed again with the
 * team key. Refuses a target that already holds data, so running it twice copies nothing twice.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openStore } from '../store/create-store.ts';
import { DATABASE_FILE_NAME } from '../store/database.ts';
import { importSqliteIntoPostgres } from '../store/postgres/pg-import.ts';
import { runPgMigrations } from '../store/postgres/pg-migrate.ts';
import { createPgPool, storeError } from '../store/postgres/pg-pool.ts';
import { checkTeamKey } from '../store/postgres/pg-store.ts';
import { createFileKeyCipher, createTeamKeyCipher } from '../store/secret-cipher.ts';
import { redactStoreSecrets, redactStoreUrl } from '../store/store-url.ts';
import { describeFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, readCommandFlags, type CliIo } from './cli-io.ts';
import { readTeamStore } from './team-store-flags.ts';

const USAGE = `Usage: switchboard migrate --from sqlite:PATH --to postgres://user:password@host:5432/db [--secret-key-file FILE]

Copies a data folder (PATH: the folder of switchboard.db, or the file) into an empty team store:
providers, keys, aliases, clients, settings, prices, the admin token, history, usage and spend.
Keys are decrypted with the folder's secret.key and encrypted again with the team secret key
(--secret-key-file, else SWITCHBOARD_SECRET_KEY). A store that already holds data is refused.`;

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  'secret-key-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runMigrateCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = readCommandFlags(args, OPTIONS, USAGE, io);
  if ('exit' in parsed) return parsed.exit;
  const { from, to } = parsed.values;
  if (!from?.startsWith('sqlite:') || !to) {
    io.stderr.write(`switchboard migrate: give --from sqlite:PATH and --to postgres://…\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const path = from.slice('sqlite:'.length);
  const dataDir = existsSync(path) && statSync(path).isFile() ? dirname(path) : path;
  if (!existsSync(join(dataDir, DATABASE_FILE_NAME))) {
    io.stderr.write(`switchboard migrate: no ${DATABASE_FILE_NAME} in ${dataDir}\n`);
    return EXIT_FAILURE;
  }
  const team = readTeamStore(to, parsed.values['secret-key-file'], io, 'migrate');
  if (typeof team === 'number') return team;
  if (team === null) {
    io.stderr.write('switchboard migrate: --to must be a postgres://user:password@host:5432/db URL\n');
    return EXIT_USAGE;
  }

  // Brings the laptop's file to this version's schema first (the two stores share one schema).
  openStore({ dataDir }).close();
  const db = new Database(join(dataDir, DATABASE_FILE_NAME), { readonly: true });
  const pool = createPgPool(team.url, { max: 2 });
  try {
    await pool.query('SELECT 1').catch((error: unknown) => {
      throw storeError(team.url, error);
    });
    await runPgMigrations(pool);
    const cipher = createTeamKeyCipher(team.secretKey);
    await checkTeamKey(pool, cipher, Date.now);
    const counts = await importSqliteIntoPostgres({ db, cipher: createFileKeyCipher(dataDir) }, { pool, cipher });
    const copied = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([table, n]) => `${n} ${table}`)
      .join(', ');
    io.stdout.write(`Copied ${dataDir} into ${redactStoreUrl(team.url)}: ${copied || 'nothing (the folder is empty)'}.\n`);
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`switchboard migrate: ${redactStoreSecrets(describeFailure(error), team.url)}\n`);
    return EXIT_FAILURE;
  } finally {
    db.close();
    await pool.end().catch(() => undefined);
  }
}
