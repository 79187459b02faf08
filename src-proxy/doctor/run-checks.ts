/**
 * `switchboard doctor` and Overview → Run checks: one code path, one list of results.
 */
import type { CheckReport, CheckResult, ProxyStatus } from '../control/contract.ts';
import type { Store } from '../store/types.ts';
import { checkAliases, checkClientTokens, checkProviders, type TestProvider } from './config-checks.ts';
import { checkDashboard, checkDataDir, checkOllama, checkPort } from './machine-checks.ts';
import type { ProbeOptions } from '../net/port-occupant.ts';

export interface DoctorDeps {
  store: Store;
  dataDir: string;
  status(): ProxyStatus;
  testProvider: TestProvider;
  /** The built dashboard folder; null when missing; undefined where there is none to serve (desktop). */
  dashboardDir?: string | null;
  probe?: ProbeOptions;
  now?: () => number;
}

/** Without a store (no data folder yet): what can be said about the machine alone. */
export async function runMachineChecks(deps: { dataDir: string; status: ProxyStatus; port: number; dashboardDir?: string | null; probe?: ProbeOptions; now?: () => number }): Promise<CheckReport> {
  const [port, ollama] = await Promise.all([checkPort(deps.status, deps.port, deps.probe), checkOllama(deps.port, false, [], deps.probe)]);
  const checks = [port, checkDataDir(deps.dataDir), ...[checkDashboard(deps.dashboardDir)].filter((check): check is CheckResult => check !== null), ollama];
  return { ok: checks.every((check) => check.status !== 'fail'), checks, ranAt: (deps.now ?? Date.now)() };
}

export async function runChecks(deps: DoctorDeps): Promise<CheckReport> {
  const settings = deps.store.settings.get();
  const status = deps.status();
  const ollamaUrls = deps.store.providers.list().filter((provider) => provider.kind === 'ollama').map((provider) => provider.baseUrl);
  const [port, ollama, providers] = await Promise.all([
    checkPort(status, settings.port, deps.probe),
    checkOllama(status.port ?? settings.port, status.port !== null && status.state !== 'error', ollamaUrls, deps.probe),
    checkProviders(deps.store, deps.testProvider),
  ]);
  const checks: CheckResult[] = [
    port,
    checkDataDir(deps.dataDir),
    ...[checkDashboard(deps.dashboardDir)].filter((check): check is CheckResult => check !== null),
    ...providers,
    ...checkAliases(deps.store),
    checkClientTokens(deps.store, settings),
    ollama,
  ];
  return { ok: checks.every((check) => check.status !== 'fail'), checks, ranAt: (deps.now ?? Date.now)() };
}
