import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { HistoryPage } from '../../src-proxy/control/contract.ts';
import { applyControlEvent, mergeRows } from '../../src-renderer/hooks/live-cache';
import { controlKey, historyPagesKey } from '../../src-renderer/hooks/query-keys';
import { createFakeControl, makeHistoryRow } from './fake-control';

const row = (index: number, startedAt: number) => {
  const { bodies: _b, requestHeaders: _h, cacheReadTokens: _r, cacheWriteTokens: _w, estimated: _e, errorMessage: _m, ...rest } = makeHistoryRow(index, startedAt);
  return rest;
};

describe('live events → caches', () => {
  it('replaces the status', () => {
    const queryClient = new QueryClient();
    const status = createFakeControl().state.status;
    applyControlEvent(queryClient, { type: 'status', status: { ...status, state: 'stopped' } });
    expect(queryClient.getQueryData<typeof status>(controlKey('getStatus'))?.state).toBe('stopped');
  });

  it('prepends new rows to the unfiltered paged list without duplicates and counts them', () => {
    const queryClient = new QueryClient();
    const old = row(1, 1000);
    queryClient.setQueryData(historyPagesKey({ limit: 200 }), { pages: [{ rows: [old], next: null, total: 1 } satisfies HistoryPage], pageParams: [null] });
    const fresh = row(2, 2000);
    applyControlEvent(queryClient, { type: 'history', rows: [fresh, old] });
    const data = queryClient.getQueryData<{ pages: HistoryPage[] }>(historyPagesKey({ limit: 200 }))!;
    expect(data.pages[0]!.rows.map((r) => r.id)).toEqual([fresh.id, old.id]);
    expect(data.pages[0]!.total).toBe(2);
  });

  it('keeps the short feed at its limit', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(controlKey('queryHistory', { limit: 2 }), { rows: [row(1, 1000), row(2, 900)], next: null, total: 2 });
    applyControlEvent(queryClient, { type: 'history', rows: [row(3, 5000)] });
    expect(queryClient.getQueryData<HistoryPage>(controlKey('queryHistory', { limit: 2 }))!.rows.map((r) => r.startedAt)).toEqual([5000, 1000]);
  });

  it('marks filtered lists stale instead of guessing which rows match', () => {
    const queryClient = new QueryClient();
    const key = historyPagesKey({ limit: 200, status: 'error' });
    queryClient.setQueryData(key, { pages: [{ rows: [], next: null, total: 0 }], pageParams: [null] });
    applyControlEvent(queryClient, { type: 'history', rows: [row(3, 5000)] });
    expect(queryClient.getQueryState(key)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryData<{ pages: HistoryPage[] }>(key)!.pages[0]!.rows).toEqual([]);
  });

  it('puts incoming rows first, newest first, before the known ones', () => {
    expect(mergeRows([row(1, 10), row(2, 30)], [row(3, 20)]).map((r) => r.startedAt)).toEqual([30, 10, 20]);
  });
});
