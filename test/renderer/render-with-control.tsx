import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { BridgeEvent } from '../../src-main/ipc/channels.ts';
import type { DesktopApi, ShellState } from '../../src-main/ipc/desktop-contract.ts';
import { createBridgeClient } from '../../src-renderer/api/bridge-client';
import type { ControlClient, SwitchboardBridge } from '../../src-renderer/api/types';
import { TipProvider } from '../../src-renderer/components/Tip';
import { ControlClientProvider } from '../../src-renderer/hooks/control-context';
import { SessionTokensProvider } from '../../src-renderer/hooks/session-tokens';
import { createFakeControl, type FakeControl } from './fake-control';

// A loaded two-core machine renders the first page of a file slowly; findBy* waits up to 5 s.
configure({ asyncUtilTimeout: 5000 });

/** What the desktop shell would say on a healthy machine (macOS keychain, no notice). */
export function shellState(patch: Partial<ShellState> = {}): ShellState {
  return {
    platform: 'darwin',
    notice: null,
    portConflict: null,
    detectedOllama: null,
    secretStorage: { backend: 'keychain', available: true, insecure: false, optedIn: false },
    logsDir: '/tmp/logs',
    ...patch,
  };
}

/** The desktop shell's operations over an in-memory state, recording calls like the fake core. */
export function createFakeShell(initial: ShellState = shellState()) {
  const calls: Array<[string, unknown]> = [];
  let state = initial;
  const api: DesktopApi = {
    getShellState: async () => state,
    setInsecureStorageOptIn: async ({ optIn }) => (state = { ...state, secretStorage: { ...state.secretStorage, optedIn: optIn } }),
    openExternal: async () => undefined,
    openLogsFolder: async () => undefined,
    dismissNotice: async () => (state = { ...state, notice: null }),
    gatewayRequest: async () => ({ status: 502, contentType: 'application/json', body: '{"error":{"message":"no gateway in this test"}}' }),
  };
  return { api, calls, get state() { return state; } };
}

/**
 * The fake core (and shell) behind the same bridge shape the Electron preload exposes — the one
 * SwitchboardBridge type of src-main/ipc/channels.ts. `push` sends an event as main would.
 */
export function bridgeFor(fake: FakeControl, shell = createFakeShell()): SwitchboardBridge & { push(event: BridgeEvent): void } {
  const shellListeners = new Set<(event: BridgeEvent) => void>();
  const handlers = { ...(fake.api as unknown as Record<string, (r: unknown) => Promise<unknown>>), ...(shell.api as unknown as Record<string, (r: unknown) => Promise<unknown>>) };
  return {
    transport: 'ipc',
    // Same envelope protocol as the real preload (BridgeResult).
    invoke: (async (operation: string, request: unknown) => {
      if (operation in shell.api) shell.calls.push([operation, request]);
      try {
        return { ok: true, value: await handlers[operation]!(request) };
      } catch (error) {
        const failure = error as { code?: string; message?: string };
        return { ok: false, error: { code: failure.code ?? 'internal_error', message: failure.message ?? String(error) } };
      }
    }) as SwitchboardBridge['invoke'],
    onEvent: (listener) => {
      const unsubscribe = fake.events.subscribe(listener);
      shellListeners.add(listener);
      return () => {
        unsubscribe();
        shellListeners.delete(listener);
      };
    },
    push: (event) => shellListeners.forEach((listener) => listener(event)),
  };
}

export function renderWithControl(ui: ReactElement, options: { fake?: FakeControl; client?: ControlClient } = {}) {
  const fake = options.fake ?? createFakeControl();
  const client = options.client ?? createBridgeClient(bridgeFor(fake));
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <ControlClientProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <SessionTokensProvider><TipProvider>{ui}</TipProvider></SessionTokensProvider>
      </QueryClientProvider>
    </ControlClientProvider>,
  );
  return { ...result, fake, client, queryClient };
}
