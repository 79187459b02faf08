/**
 * `switchboard admin-token [--rotate]`: prints the dashboard address with its admin token, or
 * replaces the token (a running `serve` accepts only the new one from its next request on).
 */
import { readAdminToken, rotateAdminToken } from '../control/admin-token.ts';
import { readCommandFlags, type CliIo } from './cli-io.ts';
import { resolveDataDir } from './data-dir.ts';
import { withExistingStore } from './open-existing-store.ts';

const USAGE = `Usage: switchboard admin-token [--data-dir DIR] [--rotate]

Prints the dashboard address with its admin token (the token stays the same across restarts).
  --data-dir DIR  data folder (default: $SWITCHBOARD_DATA_DIR or the app's data folder)
  --rotate        replace the token; open dashboard tabs must then be opened again with the new address`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  rotate: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function runAdminTokenCommand(args: string[], io: CliIo): number {
  const parsed = readCommandFlags(args, OPTIONS, USAGE, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  return withExistingStore(dataDir, io, 'admin-token', (store) => {
    const token = values.rotate ? rotateAdminToken(store) : readAdminToken(store);
    if (values.rotate) io.stderr.write('A new dashboard admin token is in place; the old one no longer works.\n');
    io.stdout.write(`Dashboard: http://127.0.0.1:${store.settings.get().port}/_switchboard/#token=${token}\n`);
  });
}
