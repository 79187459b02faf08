import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src-proxy/control/contract.ts';
import { startRetention } from '../../src-proxy/history/retention.ts';
import { historyRecord, tempStore } from '../store/helpers.ts';

const DAY = 86_400_000;

describe('history retention', () => {
  it('deletes rows older than the retention setting at start, then on every interval', () => {
    vi.useFakeTimers();
    try {
      const { store } = tempStore();
      const now = Date.UTC(2025, 5, 30);
      store.history.insertBatch([
        historyRecord({ id: 'old', startedAt: now - 31 * DAY }),
        historyRecord({ id: 'recent', startedAt: now - 29 * DAY }),
      ]);
      let days = 30;
      const pruned: number[] = [];
      const stop = startRetention({
        history: store.history,
        settings: () => ({ ...DEFAULT_SETTINGS, historyRetentionDays: days }),
        intervalMs: 1000,
        now: () => now,
        onPruned: (n) => pruned.push(n),
      });
      expect(store.history.query({}).rows.map((r) => r.id)).toEqual(['recent']);
      days = 7;
      vi.advanceTimersByTime(1000);
      expect(store.history.query({}).total).toBe(0);
      expect(pruned).toEqual([1, 1]);
      stop();
      vi.advanceTimersByTime(5000);
      expect(pruned).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a failing prune instead of throwing', () => {
    const onError = vi.fn();
    const stop = startRetention({
      history: {
        prune: () => {
          throw new Error('locked');
        },
      } as never,
      settings: () => DEFAULT_SETTINGS,
      onError,
    });
    stop();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'locked' }));
  });
});
