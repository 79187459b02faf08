/**
 * The shared limit store on a real Redis-compatible server (started by the test run): two
 * instances — two connections, two SQLite stores — take from one set of counters, atomically.
 */
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { ClientLimits } from '../../src-proxy/domain/governance.ts';
import { isRefusal, type Lease, type LimitStore, type Refusal } from '../../src-proxy/policy/limit-store.ts';
import { openSharedConnection, type SharedConnection } from '../../src-proxy/shared/shared-connection.ts';
import { createSharedLimitStore } from '../../src-proxy/shared/shared-limit-store.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { tempStore } from '../store/helpers.ts';

const NOON = new Date(2026, 5, 15, 12, 0, 0, 0).getTime();
const NO_COST = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
const logger = pino({ level: 'silent' });
const open: Array<{ connection: SharedConnection; limits: LimitStore }> = [];

afterEach(async () => {
  for (const { connection, limits } of open.splice(0)) {
    limits.close();
    await connection.close();
  }
});

/** One instance: its own connection and SQLite store, sharing the deployment `prefix`. */
async function instance(prefix: string, db: Store = tempStore().store): Promise<LimitStore> {
  const connection = openSharedConnection({ url: inject('redisUrl'), logger, prefix });
  expect(await connection.whenUp(10_000)).toBe(true);
  const limits = createSharedLimitStore({ connection, spend: db.clientSpend });
  open.push({ connection, limits });
  return limits;
}

async function pair(): Promise<[LimitStore, LimitStore]> {
  const prefix = `test-${randomUUID()}:`;
  return [await instance(prefix), await instance(prefix)];
}

async function admit(store: LimitStore, limits: ClientLimits, at: number, estimate = 0): Promise<Lease | Refusal> {
  return store.admit('token:a', limits, estimate, at);
}

function lease(value: Lease | Refusal): Lease {
  if (isRefusal(value)) throw new Error(`refused: ${value.refused}`);
  return value;
}

describe('the shared limit store (Redis-compatible server)', () => {
  it('shares the per-minute window: requests on A count on B, which says when to retry', async () => {
    const [a, b] = await pair();
    for (let i = 0; i < 3; i++) await a.settle(lease(await admit(a, { rpm: 5 }, NOON + i)), NO_COST, NOON + i);
    lease(await admit(b, { rpm: 5 }, NOON + 10));
    lease(await admit(b, { rpm: 5 }, NOON + 20));
    expect(await admit(b, { rpm: 5 }, NOON + 30_000)).toEqual({ refused: 'rpm', limit: 5, retryAfterSeconds: 30 });
    expect(await admit(a, { rpm: 5 }, NOON + 30_000)).toMatchObject({ refused: 'rpm' });
    expect(isRefusal(await admit(a, { rpm: 5 }, NOON + 60_001))).toBe(false);
  });

  it('lets many parallel admissions from two instances take exactly the concurrency limit', async () => {
    const [a, b] = await pair();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => admit(i % 2 ? a : b, { concurrency: 3 }, NOON)));
    expect(results.filter((result) => !isRefusal(result))).toHaveLength(3);
    expect(results.find(isRefusal)).toEqual({ refused: 'concurrency', limit: 3, retryAfterSeconds: 1 });
    const taken = results.filter((result): result is Lease => !isRefusal(result));
    await b.settle(taken[0]!, NO_COST, NOON + 5);
    expect(isRefusal(await admit(a, { concurrency: 3 }, NOON + 5))).toBe(false);
    expect((await a.usage('token:a', NOON + 5)).active).toBe(3);
  });

  it('refuses on B a daily budget spent on A, until local midnight', async () => {
    const [a, b] = await pair();
    const spent = await a.settle(lease(await admit(a, {}, NOON)), { inputTokens: 10, outputTokens: 5, costUsd: 2 }, NOON);
    expect(spent.today).toMatchObject({ requests: 1, costUsd: 2, inputTokens: 10, outputTokens: 5 });
    const midnight = new Date(2026, 5, 16).getTime();
    expect(await admit(b, { dailyBudgetUsd: 2 }, NOON + 1)).toEqual({ refused: 'dailyBudgetUsd', limit: 2, retryAfterSeconds: Math.ceil((midnight - NOON - 1) / 1000) });
    expect(await admit(b, { monthlyBudgetUsd: 1.5 }, NOON + 1)).toMatchObject({ refused: 'monthlyBudgetUsd', limit: 1.5 });
    expect(isRefusal(await admit(b, { dailyBudgetUsd: 2.5 }, NOON + 1))).toBe(false);
    expect(isRefusal(await admit(b, { dailyBudgetUsd: 2 }, midnight))).toBe(false);
  });

  it('counts tokens per minute from the estimate, then from what was really used', async () => {
    const [a, b] = await pair();
    const first = lease(await admit(a, { tpm: 1000 }, NOON, 900));
    expect(await admit(b, { tpm: 1000 }, NOON + 1000, 200)).toMatchObject({ refused: 'tpm', retryAfterSeconds: 60 });
    await a.settle(first, { inputTokens: 100, outputTokens: 50, costUsd: 0 }, NOON + 2000);
    expect(isRefusal(await admit(b, { tpm: 1000 }, NOON + 2000, 200))).toBe(false);
    // A request larger than the whole limit runs when the minute is empty.
    expect(isRefusal(await b.admit('token:big', { tpm: 1000 }, 5000, NOON))).toBe(false);
  });

  it('caps lifetime requests across instances, counting the ones still running', async () => {
    const [a, b] = await pair();
    await a.settle(lease(await admit(a, { maxRequests: 3 }, NOON)), NO_COST, NOON);
    lease(await admit(b, { maxRequests: 3 }, NOON));
    lease(await admit(a, { maxRequests: 3 }, NOON));
    expect(await admit(b, { maxRequests: 3 }, NOON)).toEqual({ refused: 'maxRequests', limit: 3 });
  });

  it('starts the shared counters from the spend the durable store already holds, and writes spend to it', async () => {
    const prefix = `test-${randomUUID()}:`;
    const { store: db } = tempStore();
    db.clientSpend.add([{ client: 'token:a', period: '2026-06-15', totals: { requests: 4, inputTokens: 40, outputTokens: 20, costUsd: 3, unpricedRequests: 0 } }]);
    const a = await instance(prefix, db);
    expect(await admit(a, { dailyBudgetUsd: 3 }, NOON)).toMatchObject({ refused: 'dailyBudgetUsd' });
    const b = await instance(prefix);
    await b.settle(lease(await admit(b, {}, NOON)), { inputTokens: 1, outputTokens: 1, costUsd: null }, NOON);
    expect((await a.usage('token:a', NOON)).today).toEqual({ requests: 5, inputTokens: 41, outputTokens: 21, costUsd: 3, unpricedRequests: 1 });
    // A's own settle reaches its durable store (written behind).
    await a.settle(lease(await admit(a, {}, NOON)), { inputTokens: 2, outputTokens: 3, costUsd: 0.5 }, NOON);
    a.flush();
    expect(db.clientSpend.read('token:a', ['2026-06-15'])[0]).toMatchObject({ requests: 5, costUsd: 3.5 });
  });
});
