import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE_NAME } from '../store/database.ts';
import { openStore } from '../store/create-store.ts';
import type { SqliteStore } from '../store/types.ts';
import { describeFailure, EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io.ts';

/**
 * Opens the store of a data dir that already has one. Read-style commands must not create an
 * empty database (and folder) just because the data dir was mistyped.
 */
export function openExistingStore(dataDir: string): { store: SqliteStore } | { error: string } {
  if (!existsSync(join(dataDir, DATABASE_FILE_NAME))) {
    return { error: `No Switchboard data in ${dataDir} (${DATABASE_FILE_NAME} not found). Pass --data-dir or set SWITCHBOARD_DATA_DIR.` };
  }
  return { store: openStore({ dataDir }) };
}

/**
 * Runs a read-style command against the data dir's store: opens it (or says it is missing),
 * closes it after `use`, and turns any failure into `switchboard <command>: message` and exit 1.
 */
export function withExistingStore(dataDir: string, io: CliIo, command: string, use: (store: SqliteStore) => void): number {
  try {
    const opened = openExistingStore(dataDir);
    if ('error' in opened) {
      io.stderr.write(`${opened.error}\n`);
      return EXIT_FAILURE;
    }
    try {
      use(opened.store);
    } finally {
      opened.store.close();
    }
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`switchboard ${command}: ${describeFailure(error)}\n`);
    return EXIT_FAILURE;
  }
}
