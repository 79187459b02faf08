import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { HistoryPage, HistoryQuery } from '../../../src-proxy/control/contract.ts';
import type { ControlError } from '../../api';
import { useControlClient } from '../../hooks/control-context';
import { historyPagesKey } from '../../hooks/query-keys';

type Cursor = HistoryPage['next'];

/** History with cursor paging: one page of 200 rows at a time, older pages on demand. */
export function useHistoryPages(query: HistoryQuery) {
  const client = useControlClient();
  const result = useInfiniteQuery<HistoryPage, ControlError, { pages: HistoryPage[] }, ReturnType<typeof historyPagesKey>, Cursor>({
    queryKey: historyPagesKey(query),
    queryFn: ({ pageParam }) => client.invoke('queryHistory', pageParam ? { ...query, before: pageParam } : query),
    initialPageParam: null,
    getNextPageParam: (last) => last.next,
  });
  const rows = useMemo(() => result.data?.pages.flatMap((page) => page.rows) ?? [], [result.data]);
  const total = result.data?.pages[0]?.total ?? 0;
  return { ...result, rows, total };
}
