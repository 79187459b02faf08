/**
 * The `switchboard` command line: serve, doctor, history, export, cache, diagnose, admin-token, migrate.
 */
import { SWITCHBOARD_VERSION } from './create-gateway.ts';
import { runAdminTokenCommand } from './cli/admin-token-command.ts';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli/cli-io.ts';
import { runDoctorCommand } from './cli/doctor-command.ts';
import { runCacheCommand } from './cli/cache-command.ts';
import { runDiagnoseCommand } from './cli/diagnose-command.ts';
import { runExportCommand } from './cli/export-command.ts';
import { runHistoryCommand } from './cli/history-command.ts';
import { runMigrateCommand } from './cli/migrate-command.ts';
import { runServeCommand } from './cli/serve-command.ts';

const USAGE = `Switchboard ${SWITCHBOARD_VERSION} — one local endpoint for every AI tool, routed to the providers you choose.

Usage: switchboard <command> [options]

Commands:
  serve        Run the gateway headless on 127.0.0.1 (see: switchboard serve --help)
  doctor       Check the port, data folder, dashboard, providers, keys, aliases, tokens and Ollama
  history      Print the newest requests (--limit N, --json)
  export       Write the current configuration as JSON (--include-secrets, --out FILE)
  cache        The response cache: clear, stats
  diagnose     Write a diagnostics bundle for a bug report (--out FILE; no secrets, no bodies)
  admin-token  Print the dashboard address with its admin token (--rotate for a new token)
  migrate      Copy a data folder into an empty team store (--from sqlite:PATH --to postgres://…)
  version      Print the version

Troubleshooting: docs/troubleshooting.md`;

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve': {
      const result = await runServeCommand(args, io, { installSignalHandlers: true });
      return typeof result === 'number' ? result : result.done;
    }
    case 'migrate':
      return runMigrateCommand(args, io);
    case 'history':
      return runHistoryCommand(args, io);
    case 'export':
      return runExportCommand(args, io);
    case 'doctor':
      return runDoctorCommand(args, io);
    case 'admin-token':
      return runAdminTokenCommand(args, io);
    case 'cache':
      return runCacheCommand(args, io);
    case 'diagnose':
      return runDiagnoseCommand(args, io);
    case 'version':
    case '--version':
      io.stdout.write(`${SWITCHBOARD_VERSION}\n`);
      return EXIT_OK;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    default:
      io.stderr.write(`switchboard: unknown command "${command}"\n\n${USAGE}\n`);
      return EXIT_USAGE;
  }
}
