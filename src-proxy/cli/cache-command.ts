import { EXIT_OK, EXIT_USAGE, parseFlags, type CliIo } from './cli-io.ts';
import { resolveDataDir } from './data-dir.ts';
import { withExistingStore } from './open-existing-store.ts';

const USAGE = `Usage: switchboard cache <clear|stats> [--data-dir DIR]

The response cache (aliases opt in with "cache": { "ttlSeconds": N }).
  clear            remove every kept answer (a running Switchboard stops replaying them at once)
  stats            print how many answers are kept and their size
  --data-dir DIR   data folder (default: $SWITCHBOARD_DATA_DIR or the app's data folder)`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function runCacheCommand(args: string[], io: CliIo): number {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h' || action === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (action !== 'clear' && action !== 'stats') {
    io.stderr.write(`switchboard cache: ${action === undefined ? 'say what to do' : `unknown action "${action}"`}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const parsed = parseFlags(rest, OPTIONS, USAGE);
  if ('error' in parsed) {
    io.stderr.write(parsed.error);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const dataDir = resolveDataDir({ flag: parsed.values['data-dir'], env: io.env });
  return withExistingStore(dataDir, io, 'cache', (store) => {
    if (action === 'clear') {
      const removed = store.responseCache.clear();
      // Kept answers may hold what users asked: gone from the file, not only from the table.
      store.checkpoint();
      io.stdout.write(`Removed ${removed} cached answer${removed === 1 ? '' : 's'}.\n`);
    } else {
      const index = store.responseCache.index();
      const bytes = index.reduce((sum, row) => sum + row.bytes, 0);
      const maxMb = store.settings.get().cache.maxMb;
      io.stdout.write(`${index.length} cached answer${index.length === 1 ? '' : 's'}, ${(bytes / 1024 / 1024).toFixed(1)} MB of ${maxMb} MB.\n`);
    }
  });
}
