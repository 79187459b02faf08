/**
 * Finding 8, the scheduler on its own: per-client queues per upstream, a bounded share (a
 * reserve no single heavy client can take), round-robin between waiting clients, work-conserving
 * (no slot idles while an eligible request waits), aborts leave the queue, and a pacing gate can
 * hold requests back.
 */
import { describe, expect, it } from 'vitest';
import { createFairScheduler, type Slot } from '../../src-proxy/upstream/fair-scheduler.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('fair scheduler', () => {
  it('lets a heavy client fill the shared part only, so a newcomer starts at once', async () => {
    const scheduler = createFairScheduler({ capacity: () => 16 });
    const heavy: Slot[] = [];
    const pending: Array<Promise<Slot>> = [];
    for (let i = 0; i < 100; i++) pending.push(scheduler.acquire('heavy', new AbortController().signal).then((slot) => (heavy.push(slot), slot)));
    await tick();
    expect(heavy.length).toBe(16 - scheduler.reserve);
    expect(scheduler.stats()).toMatchObject({ active: 16 - scheduler.reserve, queued: 100 - (16 - scheduler.reserve) });
    const newcomer = await scheduler.acquire('light', new AbortController().signal);
    expect(scheduler.stats().active).toBe(16 - scheduler.reserve + 1);
    newcomer.release();
    for (const slot of heavy) slot.release();
    await tick();
    expect(heavy.length).toBe(2 * (16 - scheduler.reserve));
  });

  it('is work-conserving and takes waiting clients in turn', async () => {
    const scheduler = createFairScheduler({ capacity: () => 3, reserve: 0 });
    const order: string[] = [];
    const slots: Slot[] = [];
    const take = (client: string) => scheduler.acquire(client, new AbortController().signal).then((slot) => (order.push(client), slots.push(slot), slot));
    for (let i = 0; i < 6; i++) void take('a');
    await tick();
    for (let i = 0; i < 3; i++) void take('b');
    for (let i = 0; i < 3; i++) void take('c');
    await tick();
    expect(order).toEqual(['a', 'a', 'a']);
    // Each freed slot is taken at once (none idles), by the waiting clients in turn.
    for (let i = 0; i < 6; i++) {
      slots[i]!.release();
      await tick();
      expect(scheduler.stats().active).toBe(3);
    }
    expect(order.slice(3)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('keeps the reserve for light clients only: heavy clients share the rest', async () => {
    const scheduler = createFairScheduler({ capacity: () => 8, reserve: 2, lightLimit: 1 });
    const granted: Record<string, number> = { a: 0, b: 0, c: 0 };
    const take = (client: string) => void scheduler.acquire(client, new AbortController().signal).then(() => granted[client]!++);
    for (let i = 0; i < 10; i++) take('a');
    for (let i = 0; i < 10; i++) take('b');
    await tick();
    // a fills the shared six; b, a newcomer, gets one reserved slot; nobody heavy gets more.
    expect(granted).toEqual({ a: 6, b: 1, c: 0 });
    take('c');
    await tick();
    expect(granted.c).toBe(1);
  });

  it('drops a request whose caller went away from the queue, and never gives it a slot', async () => {
    const scheduler = createFairScheduler({ capacity: () => 1, reserve: 0 });
    const first = await scheduler.acquire('a', new AbortController().signal);
    const controller = new AbortController();
    const waiting = scheduler.acquire('b', controller.signal);
    controller.abort(new Error('client left'));
    await expect(waiting).rejects.toThrow('client left');
    expect(scheduler.stats().queued).toBe(0);
    first.release();
    expect(scheduler.stats().active).toBe(0);
  });

  it('a released slot is released once, however often release is called', async () => {
    const scheduler = createFairScheduler({ capacity: () => 2, reserve: 0 });
    const slot = await scheduler.acquire('a', new AbortController().signal);
    slot.release();
    slot.release();
    expect(scheduler.stats().active).toBe(0);
  });

  it('a pacing gate can hold a request back and let it start later', async () => {
    let openAt = Date.now() + 60;
    const scheduler = createFairScheduler({ capacity: () => 4, gate: () => Math.max(0, openAt - Date.now()) });
    const started = Date.now();
    const slot = await scheduler.acquire('a', new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    openAt = 0;
    slot.release();
  });
});
