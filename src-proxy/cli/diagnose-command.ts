/**
 * `switchboard diagnose --out FILE`: the diagnostics bundle (diagnostics/build-bundle.ts) of a
 * data folder, the same one Settings → Diagnostics downloads. The engine is not started; the log
 * tail comes from the desktop app's log file (or --log FILE), since a headless `serve` logs to
 * its terminal.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { createGateway } from '../create-gateway.ts';
import { buildDiagnosticsBundle } from '../diagnostics/build-bundle.ts';
import { createLogTail, type LogTail } from '../log-tail.ts';
import { LOG_FILE_NAME } from '../logging.ts';
import { describeFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, readCommandFlags, type CliIo } from './cli-io.ts';
import { findDashboardDir } from './dashboard.ts';
import { resolveDataDir } from './data-dir.ts';
import { openExistingStore } from './open-existing-store.ts';

const USAGE = `Usage: switchboard diagnose --out FILE [--data-dir DIR] [--log FILE] [--no-checks]

Writes one .tar.gz for a bug report: versions, OS, settings, the configuration without secrets,
the doctor's checks, the newest 500 requests without bodies, and the log tail. Every secret
Switchboard stores is swept out of it.
  --out FILE      where to write the archive (.tar.gz)
  --data-dir DIR  data folder (default: $SWITCHBOARD_DATA_DIR or the app's data folder)
  --log FILE      log file to take the tail from (default: the desktop app's ${LOG_FILE_NAME})
  --no-checks     leave out the doctor's checks (they call every provider)`;

const OPTIONS = {
  out: { type: 'string' },
  'data-dir': { type: 'string' },
  log: { type: 'string' },
  'no-checks': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The last lines of a log file are enough; a huge file is read from its end only. */
const LOG_READ_BYTES = 2 * 1024 * 1024;
const LOG_LINES = 1000;

export async function runDiagnoseCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = readCommandFlags(args, OPTIONS, USAGE, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  if (!values.out) {
    io.stderr.write(`switchboard diagnose: say where to write the archive with --out FILE\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  const opened = openExistingStore(dataDir);
  if ('error' in opened) {
    io.stderr.write(`${opened.error}\n`);
    return EXIT_FAILURE;
  }
  opened.store.close();
  try {
    const logFile = values.log ? resolve(values.log) : desktopLogFile(dataDir, io.env);
    const tail = createLogTail(LOG_LINES);
    if (logFile) readLogInto(logFile, tail);
    const gateway = await createGateway({ dataDir, logger: pino({ level: 'silent' }), dashboardDir: findDashboardDir(), recordHistory: false });
    try {
      const bundle = await buildDiagnosticsBundle({
        store: gateway.store,
        version: gateway.status().version,
        status: gateway.status(),
        checks: values['no-checks'] ? undefined : () => gateway.control.runChecks(),
        log: tail.read(),
      });
      const out = resolve(values.out);
      writeFileSync(out, bundle.archive, { mode: 0o600 });
      io.stdout.write(`Wrote ${out} (${(bundle.bytes / 1024).toFixed(1)} KB: ${bundle.files.join(', ')})${logFile ? '' : '\nNo log file was found; pass --log FILE to include one.'}\n`);
    } finally {
      await gateway.close();
    }
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`switchboard diagnose: ${describeFailure(error)}\n`);
    return EXIT_FAILURE;
  }
}

/** Where Electron's app.getPath('logs') puts the desktop log: <userData>/logs, or ~/Library/Logs on macOS. */
function desktopLogFile(dataDir: string, env: NodeJS.ProcessEnv): string | null {
  const candidates = [join(dataDir, 'logs', LOG_FILE_NAME)];
  if (process.platform === 'darwin') candidates.push(join(env.HOME ?? homedir(), 'Library', 'Logs', 'Switchboard', LOG_FILE_NAME));
  return candidates.find((file) => existsSync(file)) ?? null;
}

function readLogInto(file: string, tail: LogTail): void {
  const size = statSync(file).size;
  const buffer = readFileSync(file);
  const text = buffer.subarray(Math.max(0, size - LOG_READ_BYTES)).toString('utf8');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  // The first line of a cut read is usually partial.
  for (const line of size > LOG_READ_BYTES ? lines.slice(1) : lines) tail.write(line);
}
