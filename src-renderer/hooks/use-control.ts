import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { ControlError, ControlOperationName, ControlRequest, ControlResponse } from '../api';
import { useControlClient } from './control-context';
import { controlKey, INVALIDATES } from './query-keys';

type QueryOptions<K extends ControlOperationName> = Omit<UseQueryOptions<ControlResponse<K>, ControlError>, 'queryKey' | 'queryFn'>;

/** Reads one operation through react-query (cached per operation + request). */
export function useControlQuery<K extends ControlOperationName>(operation: K, request?: ControlRequest<K>, options?: QueryOptions<K>) {
  const client = useControlClient();
  return useQuery<ControlResponse<K>, ControlError>({
    queryKey: controlKey(operation, request),
    queryFn: () => client.invoke(operation, request),
    ...options,
  });
}

/** Runs one operation and marks the reads it changes as stale (see INVALIDATES). */
export function useControlMutation<K extends ControlOperationName>(operation: K) {
  const client = useControlClient();
  const queryClient = useQueryClient();
  return useMutation<ControlResponse<K>, ControlError, ControlRequest<K>>({
    mutationFn: (request) => client.invoke(operation, request),
    onSuccess: async (result) => {
      if (operation === 'startProxy' || operation === 'stopProxy') queryClient.setQueryData(controlKey('getStatus'), result);
      if (operation === 'updateSettings') queryClient.setQueryData(controlKey('getSettings'), result);
      await Promise.all((INVALIDATES[operation] ?? []).map((stale) => queryClient.invalidateQueries({ queryKey: ['control', stale] })));
    },
  });
}
