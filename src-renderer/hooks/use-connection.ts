import { useQuery } from '@tanstack/react-query';
import { CONNECTION_KEY } from './live-cache';

/** Whether the client hears the core right now (false while the HTTP event stream reconnects). */
export function useConnected(): boolean {
  // Written by applyClientEvent; never fetched.
  return useQuery({ queryKey: CONNECTION_KEY, queryFn: () => true, initialData: true, staleTime: Infinity }).data;
}
