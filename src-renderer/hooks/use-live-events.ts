import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useControlClient } from './control-context';
import { applyClientEvent } from './live-cache';
import { navigateTo } from './use-route';

/** Keeps the caches current from the client's push events while the app is mounted. */
export function useLiveEvents(): void {
  const client = useControlClient();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      client.onEvent((event) =>
        applyClientEvent(queryClient, event, (to) => navigateTo(to.page, to.page === 'history' ? to.id : to.section)),
      ),
    [client, queryClient],
  );
}
