import { createContext, useContext, type ReactNode } from 'react';
import type { ControlClient } from '../api';

const ControlClientContext = createContext<ControlClient | null>(null);

/** Hands the control client to every hook below it; tests pass an in-memory one. */
export function ControlClientProvider({ client, children }: { client: ControlClient; children: ReactNode }) {
  return <ControlClientContext.Provider value={client}>{children}</ControlClientContext.Provider>;
}

export function useControlClient(): ControlClient {
  const client = useContext(ControlClientContext);
  if (!client) throw new Error('useControlClient needs a <ControlClientProvider> above it');
  return client;
}
