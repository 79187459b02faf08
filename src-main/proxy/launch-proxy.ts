/**
 * What happens to the proxy when Switchboard starts: settle the port (first run only), start
 * the proxy when the settings say so, and collect what the window should tell the user — why
 * the port changed, who holds a busy port, a real Ollama that could become a provider.
 */
import type { ProxyStatus, Settings } from '../../src-proxy/control/contract.ts';
import type { ProviderRecord } from '../../src-proxy/domain/provider.ts';
import type { PortConflict, PortNotice, ShellState } from '../ipc/desktop-contract.ts';
import { choosePort, describeConflict, type PortOccupant } from './port-choice.ts';

export interface LaunchProxyDeps {
  getSettings(): Settings;
  saveSettings(patch: Partial<Settings>): void;
  listProviders(): Pick<ProviderRecord, 'kind' | 'baseUrl'>[];
  portChosen(): boolean;
  markPortChosen(): void;
  start(): Promise<ProxyStatus>;
  isFree(port: number): Promise<boolean>;
  identify(port: number): Promise<PortOccupant>;
  /** [11434, 11435] in the app. */
  preferredPorts: readonly [number, number];
}

export interface LaunchOutcome {
  status: ProxyStatus | null;
  notice: PortNotice | null;
  portConflict: PortConflict | null;
  detectedOllama: ShellState['detectedOllama'];
  /** First run, or onboarding unfinished: the window should open. */
  needsWindow: boolean;
}

export async function launchProxy(deps: LaunchProxyDeps): Promise<LaunchOutcome> {
  const settings = deps.getSettings();
  const firstRun = !deps.portChosen();
  const choice = await choosePort({
    firstRun,
    configuredPort: settings.port,
    preferredPorts: deps.preferredPorts,
    isFree: deps.isFree,
    identify: deps.identify,
  });
  if (choice.save) {
    deps.saveSettings({ port: choice.port });
    deps.markPortChosen();
  }

  // The proxy runs on the first launches too, so onboarding can show a working endpoint.
  const shouldStart = settings.startProxyOnLaunch || !settings.onboardingComplete;
  const status = shouldStart ? await deps.start() : null;
  const portConflict = status?.error?.code === 'port_in_use' ? await describeConflict(choice.port, deps.identify) : null;

  return {
    status,
    notice: choice.notice,
    portConflict,
    detectedOllama: await findOllama(deps, choice, portConflict),
    needsWindow: firstRun || !settings.onboardingComplete || portConflict !== null,
  };
}

/** A real Ollama on the first-choice port (or squatting ours) that is not yet a provider. */
async function findOllama(
  deps: LaunchProxyDeps,
  choice: { port: number; detectedOllama: { port: number; version: string } | null },
  conflict: PortConflict | null,
): Promise<ShellState['detectedOllama']> {
  let found = choice.detectedOllama;
  if (!found && conflict?.occupant === 'ollama' && conflict.ollamaVersion) found = { port: conflict.port, version: conflict.ollamaVersion };
  if (!found && choice.port !== deps.preferredPorts[0]) {
    const occupant = await deps.identify(deps.preferredPorts[0]);
    if (occupant.kind === 'ollama') found = { port: deps.preferredPorts[0], version: occupant.version };
  }
  if (!found) return null;
  const baseUrl = `http://127.0.0.1:${found.port}`;
  const known = deps.listProviders().some((provider) => provider.kind === 'ollama' && sameOrigin(provider.baseUrl, baseUrl));
  return known ? null : { baseUrl, version: found.version };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    const left = new URL(a);
    const right = new URL(b);
    const loopback = (host: string) => (host === 'localhost' || host === '[::1]' ? '127.0.0.1' : host);
    return loopback(left.hostname) === loopback(right.hostname) && left.port === right.port;
  } catch {
    return false;
  }
}
