import { chmodSync, writeFileSync } from 'node:fs';
import { exportConfig } from '../config/export-config.ts';
import type { SwitchboardConfig } from '../domain/config-file.ts';
import { describeFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseFlags, type CliIo } from './cli-io.ts';
import { resolveDataDir } from './data-dir.ts';
import { openExistingStore } from './open-existing-store.ts';

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
  const parsed = parseFlags(args, OPTIONS, USAGE);
  if ('error' in parsed) {
    io.stderr.write(parsed.error);
    return EXIT_USAGE;
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const includeSecrets = values['include-secrets'] === true;
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  try {
    const opened = openExistingStore(dataDir);
    if ('error' in opened) {
      io.stderr.write(`${opened.error}\n`);
      return EXIT_FAILURE;
    }
    let config: SwitchboardConfig;
    try {
      config = exportConfig(opened.store, { includeSecrets });
    } finally {
      opened.store.close();
    }
    const text = `${JSON.stringify(config, null, 2)}\n`;
    if (values.out) {
      // 0600 even without secrets: the file still maps out the user's providers and clients.
      writeFileSync(values.out, text, { mode: 0o600 });
      if (process.platform !== 'win32') chmodSync(values.out, 0o600);
      io.stderr.write(`Wrote ${values.out}${includeSecrets ? ' (it contains keys and tokens in plain text: keep it private)' : ''}.\n`);
    } else {
      io.stdout.write(text);
    }
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`switchboard export: ${describeFailure(error)}\n`);
    return EXIT_FAILURE;
  }
}
