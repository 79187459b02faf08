import { chmodSync, writeFileSync } from 'node:fs';
import { exportConfig } from '../config/export-config.ts';
import { readCommandFlags, type CliIo } from './cli-io.ts';
import { resolveDataDir } from './data-dir.ts';
import { withExistingStore } from './open-existing-store.ts';

const USAGE = `Usage: switchboard export [--data-dir DIR] [--include-secrets] [--out FILE]

Writes providers, model aliases, clients, settings and prices as a config file (JSON) that
\`switchboard serve --config\` and Settings → Import read back.
  --data-dir DIR       data folder (default: $SWITCHBOARD_DATA_DIR or the app's data folder)
  --include-secrets    include provider keys and client tokens in plain text
  --out FILE           write to FILE (mode 0600) instead of standard output`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  'include-secrets': { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function runExportCommand(args: string[], io: CliIo): number {
  const parsed = readCommandFlags(args, OPTIONS, USAGE, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const includeSecrets = values['include-secrets'] === true;
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  return withExistingStore(dataDir, io, 'export', (store) => {
    const text = `${JSON.stringify(exportConfig(store, { includeSecrets }), null, 2)}\n`;
    if (values.out) {
      // 0600 even without secrets: the file still maps out the user's providers and clients.
      writeFileSync(values.out, text, { mode: 0o600 });
      if (process.platform !== 'win32') chmodSync(values.out, 0o600);
      io.stderr.write(`Wrote ${values.out}${includeSecrets ? ' (it contains keys and tokens in plain text: keep it private)' : ''}.\n`);
    } else {
      io.stdout.write(text);
    }
  });
}
