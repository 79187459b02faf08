/**
 * `switchboard doctor`: the same checks as Overview → Run checks, one line each, exit code 1
 * when any failed. Reads the data folder without creating it, and never starts the gateway.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { CheckReport, ProxyStatus } from '../control/contract.ts';
import { DEFAULT_SETTINGS } from '../control/contract.ts';
import { createGateway, SWITCHBOARD_VERSION } from '../create-gateway.ts';
import { formatReport } from '../doctor/format-report.ts';
import { runMachineChecks } from '../doctor/run-checks.ts';
import { DATABASE_FILE_NAME } from '../store/database.ts';
import { describeFailure, EXIT_FAILURE, EXIT_OK, readCommandFlags, type CliIo } from './cli-io.ts';
import { findDashboardDir } from './dashboard.ts';
import { resolveDataDir } from './data-dir.ts';

const USAGE = `Usage: switchboard doctor [--data-dir DIR] [--json]

Checks the port, the data folder, the dashboard build, every provider and key (a real models
call), every alias, the client tokens and a real Ollama on this machine. One line per check,
✓ / ! / ✗, with the fix; exits with 1 when a check failed.
  --data-dir DIR  data folder (default: $SWITCHBOARD_DATA_DIR or the app's data folder)
  --json          the report as JSON`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runDoctorCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = readCommandFlags(args, OPTIONS, USAGE, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  let report: CheckReport;
  try {
    report = await check(dataDir);
  } catch (error) {
    io.stderr.write(`switchboard doctor: ${describeFailure(error)}\n`);
    return EXIT_FAILURE;
  }
  io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.ok ? EXIT_OK : EXIT_FAILURE;
}

async function check(dataDir: string): Promise<CheckReport> {
  const dashboardDir = findDashboardDir();
  if (!existsSync(join(dataDir, DATABASE_FILE_NAME))) {
    const status: ProxyStatus = { state: 'stopped', host: '127.0.0.1', port: null, baseUrl: null, endpoints: [], error: null, startedAt: null, requestsToday: 0, errorsToday: 0, version: SWITCHBOARD_VERSION, dataDir, configFile: null };
    return runMachineChecks({ dataDir, status, port: DEFAULT_SETTINGS.port, dashboardDir });
  }
  const gateway = await createGateway({ dataDir, logger: pino({ level: 'silent' }), dashboardDir, recordHistory: false });
  try {
    return await gateway.control.runChecks();
  } finally {
    await gateway.close();
  }
}
