import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createBridgeClient } from '../../src-renderer/api/bridge-client';
import type { ControlClient, SwitchboardBridge } from '../../src-renderer/api/types';
import { ControlClientProvider } from '../../src-renderer/hooks/control-context';
import { TipProvider } from '../../src-renderer/components/Tip';
import { SessionTokensProvider } from '../../src-renderer/hooks/session-tokens';
import { createFakeControl, type FakeControl } from './fake-control';

/** The fake core behind the same bridge shape the Electron preload exposes. */
export function bridgeFor(fake: FakeControl): SwitchboardBridge {
  return {
    // Same envelope protocol as the real preload (src-main/ipc/channels.ts BridgeResult).
    invoke: async (operation, request) => {
      try {
        return { ok: true, value: await (fake.api as unknown as Record<string, (r: unknown) => Promise<unknown>>)[operation]!(request) };
      } catch (error) {
        const failure = error as { code?: string; message?: string };
        return { ok: false, error: { code: failure.code ?? 'internal_error', message: failure.message ?? String(error) } };
      }
    },
    onEvent: (listener) => fake.events.subscribe(listener),
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
