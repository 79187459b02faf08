// Entry point: wires the control client, the query cache and the app. No logic lives here.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getControlClient } from './api';
import { App } from './App';
import { ControlClientProvider } from './hooks/control-context';

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: true } },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ControlClientProvider client={getControlClient()}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ControlClientProvider>
  </StrictMode>,
);
