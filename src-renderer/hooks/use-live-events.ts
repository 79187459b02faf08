import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useControlClient } from './control-context';
import { applyControlEvent } from './live-cache';

/** Keeps the caches current from the core's push events while the app is mounted. */
export function useLiveEvents(): void {
  const client = useControlClient();
  const queryClient = useQueryClient();
  useEffect(() => client.onEvent((event) => applyControlEvent(queryClient, event)), [client, queryClient]);
}
