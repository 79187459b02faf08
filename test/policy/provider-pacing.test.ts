/**
 * Provider pacing counted per provider: the per-minute windows say how long a call must wait,
 * concurrency holds calls until one ends, token estimates are corrected by the real count; and
 * through the fair scheduler, calls over the limits wait in the queue instead of starting.
 */
import { describe, expect, it } from 'vitest';
import { createProviderPacing } from '../../src-proxy/policy/provider-pacing.ts';
import { createFairScheduler } from '../../src-proxy/upstream/fair-scheduler.ts';
import { pacingWaitMs, type PacedCall } from '../../src-proxy/upstream/pacing.ts';
import type { ProviderLimits } from '../../src-proxy/domain/governance.ts';

const NOON = Date.UTC(2026, 5, 15, 12, 0, 0);
const call = (limits: ProviderLimits, tokens = 0, provider = 'p'): PacedCall => ({ provider, limits, tokens });

describe('provider pacing', () => {
  it('lets rpm calls start at once up to the limit, then says when the next fits', () => {
    const pacing = createProviderPacing();
    for (let i = 0; i < 3; i++) {
      const next = call({ rpm: 3 });
      expect(pacing.windowWaitMs(next, NOON)).toBe(0);
      pacing.start(next, NOON);
    }
    // A slice counts until a full minute after its end: the next call fits 61 s after noon.
    expect(pacing.windowWaitMs(call({ rpm: 3 }), NOON)).toBe(61_000);
    expect(pacing.windowWaitMs(call({ rpm: 3 }), NOON + 30_000)).toBe(31_000);
    expect(pacing.windowWaitMs(call({ rpm: 3 }), NOON + 61_000)).toBe(0);
    // Another provider has its own windows.
    expect(pacing.windowWaitMs(call({ rpm: 3 }, 0, 'q'), NOON)).toBe(0);
  });

  it('counts estimated tokens per minute and corrects them with the real count', () => {
    const pacing = createProviderPacing();
    const first = call({ tpm: 1000 }, 900);
    pacing.start(first, NOON);
    expect(pacing.windowWaitMs(call({ tpm: 1000 }, 200), NOON + 1000)).toBeGreaterThan(0);
    pacing.correct(first, 300, NOON + 2000);
    expect(pacing.windowWaitMs(call({ tpm: 1000 }, 200), NOON + 2000)).toBe(0);
    expect(pacing.states(NOON + 2000)[0]).toMatchObject({ provider: 'p', tokensLastMinute: 300, requestsLastMinute: 1 });
  });

  it('holds calls over the concurrency limit until one ends', () => {
    const pacing = createProviderPacing();
    const limits = { concurrency: 2 };
    const running = [call(limits), call(limits)];
    for (const entry of running) pacing.start(entry, NOON);
    expect(pacing.full(call(limits))).toBe(true);
    expect(pacingWaitMs(pacing, call(limits), NOON)).toBeGreaterThan(0);
    pacing.end(running[0]!);
    expect(pacing.full(call(limits))).toBe(false);
    expect(pacing.states(NOON)[0]).toMatchObject({ active: 1, waiting: 0, limits });
  });

  it('queues calls in the fair scheduler while the provider is at its concurrency, in turn per client', async () => {
    const pacing = createProviderPacing();
    const scheduler = createFairScheduler({
      capacity: () => 16,
      gate: (request) => (request.pace ? pacingWaitMs(pacing, request.pace, Date.now()) : 0),
      started: (request) => pacing.start(request.pace!, Date.now()),
      released: (request) => pacing.end(request.pace!),
    });
    const signal = new AbortController().signal;
    const limits = { concurrency: 1 };
    const first = scheduler.tryAcquire('a', 'p', call(limits))!;
    expect(first).not.toBeNull();
    // At the provider's concurrency, no slot at once: the call has to queue.
    expect(scheduler.tryAcquire('b', 'p', call(limits))).toBeNull();
    const order: string[] = [];
    const queued = [scheduler.acquire('a', signal, 'p', call(limits)), scheduler.acquire('b', signal, 'p', call(limits))].map((promise, index) =>
      promise.then((slot) => {
        order.push(index === 0 ? 'a' : 'b');
        return slot;
      }),
    );
    // Calls without pacing limits on the same host are not held back by the paced ones.
    (await scheduler.acquire('c', signal)).release();
    expect(scheduler.stats()).toMatchObject({ active: 1, queued: 2 });
    first.release();
    const second = await Promise.race(queued);
    expect(pacing.states()[0]!.active).toBe(1);
    second.release();
    (await Promise.all(queued)).forEach((slot) => slot.release());
    expect(order).toHaveLength(2);
    expect(pacing.states()[0]!.active).toBe(0);
  });
});
