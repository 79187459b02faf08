import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createBridgeClient } from '../../src-renderer/api/bridge-client';
import type { ControlClient, SwitchboardBridge } from '../../src-renderer/api/types';
import { ControlClientProvider } from '../../src-renderer/hooks/control-context';
import { SessionTokensProvider } from '../../src-renderer/hooks/session-tokens';
import { createFakeControl, type FakeControl } from './fake-control';

/** The fake core behind the same bridge shape the Electron preload exposes. */
export function bridgeFor(fake: FakeControl): SwitchboardBridge {
  return {
    invoke: (operation, request) => (fake.api as unknown as Record<string, (r: unknown) => Promise<unknown>>)[operation]!(request),
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
        <SessionTokensProvider>{ui}</SessionTokensProvider>
      </QueryClientProvider>
    </ControlClientProvider>,
  );
  return { ...result, fake, client, queryClient };
}
