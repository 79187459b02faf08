import type { HistoryRow } from '../domain/history.ts';
import { EXIT_USAGE, readCommandFlags, type CliIo } from './cli-io.ts';
import { resolveDataDir } from './data-dir.ts';
import { withExistingStore } from './open-existing-store.ts';

const USAGE = `Usage: switchboard history [--data-dir DIR] [--limit N] [--json]

Prints the newest requests Switchboard recorded (default 20, newest first).
  --data-dir DIR  data folder (default: $SWITCHBOARD_DATA_DIR or the app's data folder)
  --limit N       how many rows, 1-1000
  --json          a JSON array instead of a table`;

/** The fields of `--json`, in order: a stable interface for scripts. */
export const HISTORY_JSON_FIELDS = [
  'id', 'startedAt', 'durationMs', 'ttftMs', 'dialect', 'endpoint', 'client', 'requestedModel', 'provider',
  'upstreamModel', 'attempts', 'status', 'errorCode', 'stream', 'inputTokens', 'outputTokens',
] as const satisfies ReadonlyArray<keyof HistoryRow>;

const OPTIONS = {
  'data-dir': { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function runHistoryCommand(args: string[], io: CliIo): number {
  const parsed = readCommandFlags(args, OPTIONS, USAGE, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    io.stderr.write(`--limit must be a whole number from 1 to 1000.\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }

  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  return withExistingStore(dataDir, io, 'history', (store) => {
    const rows = store.history.latest(limit);
    io.stdout.write(values.json ? `${JSON.stringify(rows.map(pickJsonFields), null, 2)}\n` : formatHistoryTable(rows));
  });
}

function pickJsonFields(row: HistoryRow): Pick<HistoryRow, (typeof HISTORY_JSON_FIELDS)[number]> {
  return Object.fromEntries(HISTORY_JSON_FIELDS.map((field) => [field, row[field]])) as Pick<HistoryRow, (typeof HISTORY_JSON_FIELDS)[number]>;
}

/** An aligned plain-text table, one request per line. */
export function formatHistoryTable(rows: readonly HistoryRow[]): string {
  if (rows.length === 0) return 'No requests recorded yet.\n';
  const header = ['TIME', 'CLIENT', 'DIALECT', 'MODEL', 'STATUS', 'DURATION', 'TTFT', 'TOKENS IN/OUT'];
  const lines = rows.map((row) => [
    formatTime(row.startedAt),
    row.client,
    row.dialect,
    formatRoute(row),
    row.errorCode ? `${row.status} ${row.errorCode}` : String(row.status),
    formatDuration(row.durationMs),
    row.ttftMs === null ? '-' : formatDuration(row.ttftMs),
    `${row.inputTokens ?? '-'}/${row.outputTokens ?? '-'}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const render = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return `${[header, ...lines].map(render).join('\n')}\n`;
}

function formatRoute(row: HistoryRow): string {
  const requested = row.requestedModel ?? '-';
  if (!row.provider) return requested;
  return `${requested} → ${row.provider}/${row.upstreamModel ?? '?'}`;
}

function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
