/**
 * What the desktop shell knows that the engine does not — a first-run port notice, who holds a
 * busy port, a real Ollama next door, how keys are protected — and the desktop-only operations
 * the window calls (basic_text opt-in, open a link, open the logs folder).
 */
import { GatewayError } from '../src-proxy/errors/codes.ts';
import type { RelayRequest, RelayResponse } from './gateway-relay.ts';
import type { DesktopApi, PortConflict, PortNotice, ShellState } from './ipc/desktop-contract.ts';
import type { SafeStorageCipher } from './secrets.ts';
import type { DesktopPrefsStore } from './system/desktop-prefs.ts';

export interface ShellStateDeps {
  platform: NodeJS.Platform;
  logsDir: string;
  cipher: Pick<SafeStorageCipher, 'backend' | 'isAvailable' | 'isInsecureBackend'>;
  prefs: DesktopPrefsStore;
  openExternalSafely(url: string): Promise<boolean>;
  openPath(path: string): Promise<string>;
  /** The window's calls to the gateway's own client routes (see gateway-relay.ts). */
  relay(request: RelayRequest): Promise<RelayResponse>;
}

type Facts = { notice: PortNotice | null; portConflict: PortConflict | null; detectedOllama: ShellState['detectedOllama'] };

export interface ShellStateHandle {
  get(): ShellState;
  set(patch: Partial<Facts>): void;
  subscribe(listener: (state: ShellState) => void): () => void;
  readonly api: DesktopApi;
}

export function createShellState(deps: ShellStateDeps): ShellStateHandle {
  let facts: Facts = { notice: null, portConflict: null, detectedOllama: null };
  const listeners = new Set<(state: ShellState) => void>();

  const get = (): ShellState => ({
    platform: deps.platform,
    ...facts,
    secretStorage: {
      backend: deps.cipher.backend(),
      available: deps.cipher.isAvailable(),
      insecure: deps.cipher.isInsecureBackend(),
      optedIn: deps.prefs.get().insecureStorageOptIn,
    },
    logsDir: deps.logsDir,
  });
  const set = (patch: Partial<Facts>) => {
    facts = { ...facts, ...patch };
    const state = get();
    listeners.forEach((listener) => listener(state));
  };

  const api: DesktopApi = {
    getShellState: async () => get(),
    async setInsecureStorageOptIn({ optIn }) {
      deps.prefs.update({ insecureStorageOptIn: optIn });
      set({});
      return get();
    },
    async openExternal({ url }) {
      if (!(await deps.openExternalSafely(url))) {
        throw new GatewayError('invalid_request', 'Only https links open in the browser');
      }
    },
    async openLogsFolder() {
      const failure = await deps.openPath(deps.logsDir);
      if (failure) throw new GatewayError('internal_error', `The logs folder ${deps.logsDir} could not be opened: ${failure}`);
    },
    async dismissNotice() {
      set({ notice: null });
      return get();
    },
    gatewayRequest: (request) => deps.relay(request),
  };

  return {
    get,
    set,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    api,
  };
}
