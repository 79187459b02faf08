import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE_NAME } from '../store/database.ts';
import { openStore } from '../store/create-store.ts';
import type { Store } from '../store/types.ts';

/**
 * Opens the store of a data dir that already has one. Read-style commands must not create an
 * empty database (and folder) just because the data dir was mistyped.
 */
export function openExistingStore(dataDir: string): { store: Store } | { error: string } {
  if (!existsSync(join(dataDir, DATABASE_FILE_NAME))) {
    return { error: `No Switchboard data in ${dataDir} (${DATABASE_FILE_NAME} not found). Pass --data-dir or set SWITCHBOARD_DATA_DIR.` };
  }
  return { store: openStore({ dataDir }) };
}
