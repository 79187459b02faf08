import { describe, expect, it } from 'vitest';
import type { ClientLimits } from '../../src-proxy/domain/governance.ts';
import { isRefusal, type Lease, type LimitStore, type Refusal } from '../../src-proxy/policy/limit-store.ts';
import { createMemoryLimitStore } from '../../src-proxy/policy/memory-limit-store.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { tempDir, tempStore } from '../store/helpers.ts';

// Local noon of a mid-month day: the day and month boundaries are computed the same way here.
const NOON = new Date(2026, 5, 15, 12, 0, 0, 0).getTime();
const NO_COST = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

function admit(store: LimitStore, limits: ClientLimits, at: number, estimate = 0): Lease | Refusal {
  return store.admit('token:a', limits, estimate, at) as Lease | Refusal;
}

function lease(value: Lease | Refusal): Lease {
  if (isRefusal(value)) throw new Error(`refused: ${value.refused}`);
  return value;
}

describe('the in-memory limit store', () => {
  it('refuses the request after the per-minute limit and admits again a minute later', () => {
    const { store: db } = tempStore();
    const store = createMemoryLimitStore({ spend: db.clientSpend });
    for (let i = 0; i < 5; i++) store.settle(lease(admit(store, { rpm: 5 }, NOON)), NO_COST, NOON);
    expect(admit(store, { rpm: 5 }, NOON + 30_000)).toEqual({ refused: 'rpm', limit: 5, retryAfterSeconds: 31 });
    expect(admit(store, { rpm: 5 }, NOON + 60_999)).toMatchObject({ refused: 'rpm', retryAfterSeconds: 1 });
    expect(isRefusal(admit(store, { rpm: 5 }, NOON + 61_000))).toBe(false);
  });

  it('counts tokens from the estimate, then from what the request really used', () => {
    const { store: db } = tempStore();
    const store = createMemoryLimitStore({ spend: db.clientSpend });
    const first = lease(admit(store, { tpm: 1000 }, NOON, 900));
    expect(admit(store, { tpm: 1000 }, NOON + 1000, 200)).toMatchObject({ refused: 'tpm' });
    store.settle(first, { inputTokens: 100, outputTokens: 50, costUsd: 0 }, NOON + 2000);
    expect(isRefusal(admit(store, { tpm: 1000 }, NOON + 2000, 200))).toBe(false);
    // A request larger than the whole limit runs when the minute is empty.
    const empty = createMemoryLimitStore({ spend: db.clientSpend });
    expect(isRefusal(empty.admit('token:b', { tpm: 1000 }, 5000, NOON) as Lease | Refusal)).toBe(false);
  });

  it('holds at most `concurrency` requests at once and frees a slot when one ends', () => {
    const { store: db } = tempStore();
    const store = createMemoryLimitStore({ spend: db.clientSpend });
    const running = [lease(admit(store, { concurrency: 2 }, NOON)), lease(admit(store, { concurrency: 2 }, NOON))];
    expect(admit(store, { concurrency: 2 }, NOON)).toEqual({ refused: 'concurrency', limit: 2, retryAfterSeconds: 1 });
    store.settle(running[0]!, NO_COST, NOON + 10);
    expect(isRefusal(admit(store, { concurrency: 2 }, NOON + 10))).toBe(false);
  });

  it('caps lifetime requests, counting the ones still running', () => {
    const { store: db } = tempStore();
    const store = createMemoryLimitStore({ spend: db.clientSpend });
    store.settle(lease(admit(store, { maxRequests: 3 }, NOON)), NO_COST, NOON);
    lease(admit(store, { maxRequests: 3 }, NOON));
    lease(admit(store, { maxRequests: 3 }, NOON));
    expect(admit(store, { maxRequests: 3 }, NOON)).toEqual({ refused: 'maxRequests', limit: 3 });
  });

  it('refuses a spent daily budget until local midnight, and a monthly one until the 1st', () => {
    const { store: db } = tempStore();
    const store = createMemoryLimitStore({ spend: db.clientSpend });
    store.settle(lease(admit(store, {}, NOON)), { inputTokens: 10, outputTokens: 10, costUsd: 2 }, NOON);
    const midnight = new Date(2026, 5, 16).getTime();
    expect(admit(store, { dailyBudgetUsd: 2 }, NOON)).toEqual({ refused: 'dailyBudgetUsd', limit: 2, retryAfterSeconds: (midnight - NOON) / 1000 });
    expect(isRefusal(admit(store, { dailyBudgetUsd: 2.01 }, NOON))).toBe(false);
    expect(admit(store, { dailyBudgetUsd: 2 }, midnight - 1)).toMatchObject({ refused: 'dailyBudgetUsd', retryAfterSeconds: 1 });
    expect(isRefusal(admit(store, { dailyBudgetUsd: 2 }, midnight))).toBe(false);
    const firstOfJuly = new Date(2026, 6, 1).getTime();
    expect(admit(store, { monthlyBudgetUsd: 1 }, midnight)).toEqual({ refused: 'monthlyBudgetUsd', limit: 1, retryAfterSeconds: (firstOfJuly - midnight) / 1000 });
    expect(isRefusal(admit(store, { monthlyBudgetUsd: 1 }, firstOfJuly))).toBe(false);
  });

  it('keeps spend and the lifetime count across a restart (SQLite), not the minute windows', () => {
    const dataDir = tempDir();
    let db = openStore({ dataDir });
    let store = createMemoryLimitStore({ spend: db.clientSpend });
    store.settle(lease(admit(store, { rpm: 1 }, NOON)), { inputTokens: 1000, outputTokens: 500, costUsd: 0.25 }, NOON);
    store.settle(lease(store.admit('token:a', {}, 0, NOON) as Lease), { inputTokens: 7, outputTokens: 3, costUsd: null }, NOON);
    store.close();
    db.close();

    db = openStore({ dataDir });
    store = createMemoryLimitStore({ spend: db.clientSpend });
    const usage = store.usage('token:a', NOON + 1000) as Awaited<ReturnType<LimitStore['usage']>>;
    const expected = { requests: 2, inputTokens: 1007, outputTokens: 503, costUsd: 0.25, unpricedRequests: 1 };
    expect(usage).toMatchObject({ day: '2026-06-15', month: '2026-06', today: expected, thisMonth: expected, lifetime: expected, active: 0 });
    expect(isRefusal(admit(store, { rpm: 1 }, NOON + 1000))).toBe(false);
    expect(admit(store, { maxRequests: 3 }, NOON + 1000)).toMatchObject({ refused: 'maxRequests' });
    expect((store.usage('token:a', new Date(2026, 5, 16, 9).getTime()) as { today: { requests: number } }).today.requests).toBe(0);
    store.close();
    db.close();
  });
});
