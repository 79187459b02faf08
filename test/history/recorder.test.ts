import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistoryRow } from '../../src-proxy/control/contract.ts';
import { createHistoryRecorder } from '../../src-proxy/history/recorder.ts';
import type { HistoryRecord } from '../../src-proxy/domain/history.ts';
import type { HistoryRepository } from '../../src-proxy/store/types.ts';
import { historyRecord, tempStore } from '../store/helpers.ts';

function fakeHistory(insertBatch: (records: HistoryRecord[]) => void): HistoryRepository {
  const unused = (): never => {
    throw new Error('not used by the recorder');
  };
  return { insertBatch, has: unused, query: unused, get: unused, latest: unused, prune: unused, clear: unused, countSince: unused, sessions: unused, usage: unused, performance: unused };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('history recorder', () => {
  it('queues records and writes them in one batch when the timer fires, not on the request path', () => {
    vi.useFakeTimers();
    const batches: HistoryRecord[][] = [];
    const recorder = createHistoryRecorder({ history: fakeHistory((records) => batches.push(records)), flushIntervalMs: 250 });
    recorder.record(historyRecord());
    recorder.record(historyRecord());
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(batches.map((b) => b.length)).toEqual([2]);
    recorder.close();
  });

  it('splits a large queue into batches of maxBatch and reports flushed rows without bodies', () => {
    const batches: number[] = [];
    const flushed: HistoryRow[][] = [];
    const recorder = createHistoryRecorder({
      history: fakeHistory((records) => batches.push(records.length)),
      maxBatch: 2,
      onFlushed: (rows) => flushed.push(rows),
    });
    for (let i = 0; i < 5; i++) recorder.record(historyRecord({ bodies: { clientRequest: 'secret prompt', upstreamRequest: null, response: null } }));
    recorder.flush();
    expect(batches).toEqual([2, 2, 1]);
    expect(flushed.flat()).toHaveLength(5);
    expect(JSON.stringify(flushed)).not.toContain('secret prompt');
    recorder.close();
  });

  it('writes pending records to the database on close', () => {
    const { store } = tempStore();
    const recorder = createHistoryRecorder({ history: store.history, flushIntervalMs: 60_000 });
    recorder.record(historyRecord({ id: 'pending-1' }));
    recorder.record(historyRecord({ id: 'pending-2' }));
    expect(store.history.query({}).total).toBe(0);
    recorder.close();
    expect(store.history.query({}).rows.map((r) => r.id).sort()).toEqual(['pending-1', 'pending-2']);
  });

  it('reports a failed write through onError and never throws to the caller', () => {
    const onError = vi.fn();
    const recorder = createHistoryRecorder({
      history: fakeHistory(() => {
        throw new Error('disk full');
      }),
      onError,
    });
    recorder.record(historyRecord());
    expect(() => recorder.flush()).not.toThrow();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk full' }), 1);
    recorder.close();
    expect(() => recorder.record(historyRecord())).not.toThrow();
    expect(onError).toHaveBeenCalledTimes(2);
  });

  it('writes a full batch on the next tick without waiting for the timer', async () => {
    const batches: number[] = [];
    const recorder = createHistoryRecorder({ history: fakeHistory((r) => batches.push(r.length)), maxBatch: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) recorder.record(historyRecord());
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([3]);
    recorder.close();
  });
});
