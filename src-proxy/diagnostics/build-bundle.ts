/**
 * The diagnostics bundle (`switchboard diagnose`, Settings → Diagnostics): one .tar.gz with what
 * a bug report needs and nothing a user would not hand over. Built from parts that hold no
 * secret by construction — settings with the metrics token removed, the config as exported
 * without secrets, history rows without bodies or headers, the redacted log — and then swept for
 * every secret the store knows (secret-sweep.ts) and every field on the redaction list.
 */
import os from 'node:os';
import { exportConfig } from '../config/export-config.ts';
import type { CheckReport } from '../domain/checks.ts';
import { DIAGNOSTICS_HISTORY_ROWS, type DiagnosticsArchive } from '../domain/diagnostics.ts';
import type { HistoryRow } from '../domain/history.ts';
import type { LogEntry } from '../domain/log-entry.ts';
import { formatReport } from '../doctor/format-report.ts';
import { createCaptureRedactor, REDACTED } from '../security/capture-redaction.ts';
import type { Store } from '../store/types.ts';
import { createSecretSweep, storeSecrets } from './secret-sweep.ts';
import { tarGz, type ArchiveFile } from './tar-gz.ts';

export interface BundleSources {
  store: Store;
  version: string;
  /** The engine's status (state, port, endpoints, data folder). */
  status: unknown;
  /** The doctor's checks; a failure or a timeout is written into the bundle instead. */
  checks?: () => Promise<CheckReport>;
  checksTimeoutMs?: number;
  log: readonly LogEntry[];
  now?: () => number;
}

const DEFAULT_CHECKS_TIMEOUT_MS = 20_000;

export async function buildDiagnosticsBundle(sources: BundleSources): Promise<DiagnosticsArchive & { archive: Buffer }> {
  const now = sources.now?.() ?? Date.now();
  const { store } = sources;
  const settings = store.settings.get();
  const redactor = createCaptureRedactor(settings.redactFields);
  const sweep = createSecretSweep(storeSecrets(store));
  const json = (value: unknown) => sweep(`${JSON.stringify(redactor.json(value), null, 2)}\n`);

  const files: ArchiveFile[] = [
    { name: 'README.txt', content: README },
    { name: 'versions.json', content: json(versions(sources.version)) },
    { name: 'status.json', content: json(sources.status) },
    { name: 'settings.json', content: json({ ...settings, metrics: { ...settings.metrics, token: settings.metrics.token === null ? null : REDACTED } }) },
    { name: 'config.json', content: json(exportConfig(store, { includeSecrets: false })) },
    ...(await doctor(sources, json, sweep)),
    { name: 'history.jsonl', content: sweep((await store.history.latest(DIAGNOSTICS_HISTORY_ROWS)).map((row) => JSON.stringify(redactor.json(historyFields(row)))).join('\n') + '\n') },
    { name: 'log-tail.txt', content: sweep(sources.log.map(formatEntry).join('')) },
  ];
  const archive = tarGz(files, now);
  const stamp = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  return { fileName: `switchboard-diagnostics-${stamp}.tar.gz`, archive, archiveBase64: archive.toString('base64'), bytes: archive.length, files: files.map((file) => file.name) };
}

const README = `Switchboard diagnostics bundle

versions.json   Switchboard, Node/Electron, OS and machine
status.json     the engine's state, port and endpoints
settings.json   settings (the metrics token removed)
config.json     the configuration as exported without secrets (no keys, no client tokens)
doctor.txt      switchboard doctor's checks (doctor.json: the same as JSON)
history.jsonl   the newest ${DIAGNOSTICS_HISTORY_ROWS} requests: timing, status, models, tokens; never bodies or headers
log-tail.txt    the engine's newest log lines (redacted)

Every secret Switchboard stores was swept out of every file, also base64- and URL-encoded.
`;

function versions(version: string): Record<string, unknown> {
  return {
    switchboard: version,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    v8: process.versions.v8,
    sqlite: process.versions.sqlite ?? null,
    platform: process.platform,
    arch: process.arch,
    os: `${os.type()} ${os.release()}`,
    cpus: os.cpus().length,
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    freeMemoryMb: Math.round(os.freemem() / 1024 / 1024),
    processMemoryMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
}

/** The row's listed fields only: whatever a store adds later (bodies, headers) stays out. */
function historyFields(row: HistoryRow): HistoryRow {
  const { id, startedAt, durationMs, ttftMs, dialect, endpoint, client, requestedModel, provider, upstreamModel, attempts, status, errorCode, stream, inputTokens, outputTokens, cache, sessionId, routeRule, loop, commands } = row;
  return { id, startedAt, durationMs, ttftMs, dialect, endpoint, client, requestedModel, provider, upstreamModel, attempts, status, errorCode, stream, inputTokens, outputTokens, cache, sessionId, routeRule, loop, commands };
}

async function doctor(sources: BundleSources, json: (value: unknown) => string, sweep: (text: string) => string): Promise<ArchiveFile[]> {
  if (!sources.checks) return [{ name: 'doctor.txt', content: 'The checks were not run (--no-checks).\n' }];
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = sources.checksTimeoutMs ?? DEFAULT_CHECKS_TIMEOUT_MS;
  try {
    const report = await Promise.race([
      sources.checks(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the checks did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    return [
      { name: 'doctor.txt', content: sweep(formatReport(report)) },
      { name: 'doctor.json', content: json(report) },
    ];
  } catch (error) {
    return [{ name: 'doctor.txt', content: sweep(`The checks could not run: ${error instanceof Error ? error.message : String(error)}\n`) }];
  } finally {
    clearTimeout(timer);
  }
}

function formatEntry(entry: LogEntry): string {
  return `${new Date(entry.time).toISOString()} ${entry.level.toUpperCase().padEnd(5)} ${entry.msg}${entry.fields ? ` ${entry.fields}` : ''}\n`;
}
