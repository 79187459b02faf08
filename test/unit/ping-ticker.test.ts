// @vitest-environment node
/**
 * Keep-alive pings of all open streams run on one shared timer per interval (http/ping-ticker.ts):
 * a silent stream pings after one to one and a half intervals, a stream that keeps writing never
 * does, a stopped one no more, and the timer goes away once no stream is left. Fake timers: the
 * cadence is checked in timer steps, not wall-clock time.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { pingTickerState, watchSilence, type PingTarget } from '../../src-proxy/http/ping-ticker.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function target(busy = () => false): PingTarget & { pings: number[] } {
  const pings: number[] = [];
  return {
    wrote: false,
    quiet: 0,
    pings,
    ping() {
      if (busy()) return false;
      pings.push(Date.now());
      return true;
    },
  };
}

it('pings silent streams after one to one and a half intervals, not busy ones, on one timer', () => {
  const start = Date.now();
  const silent = target();
  const chatty = target();
  const stopSilent = watchSilence(1000, silent);
  const stopChatty = watchSilence(1000, chatty);
  expect(pingTickerState()).toEqual({ streams: 2, timers: 1 });
  for (let t = 0; t < 40; t++) {
    chatty.wrote = true;
    vi.advanceTimersByTime(100);
  }
  expect(chatty.pings).toEqual([]);
  expect(silent.pings.length).toBeGreaterThanOrEqual(3);
  const gaps = silent.pings.map((at, i) => at - (i === 0 ? start : silent.pings[i - 1]!));
  for (const gap of gaps) {
    expect(gap).toBeGreaterThanOrEqual(1000);
    expect(gap).toBeLessThanOrEqual(1500);
  }
  stopSilent();
  const before = silent.pings.length;
  vi.advanceTimersByTime(5000);
  expect(silent.pings.length).toBe(before);
  stopChatty();
  vi.advanceTimersByTime(1000);
  expect(pingTickerState()).toEqual({ streams: 0, timers: 0 });
});

it('a stream with bytes queued is pinged at the next tick it can take one', () => {
  let queued = true;
  const stream = target(() => queued);
  const stop = watchSilence(200, stream);
  vi.advanceTimersByTime(600);
  expect(stream.pings).toEqual([]);
  queued = false;
  vi.advanceTimersByTime(100);
  expect(stream.pings.length).toBe(1);
  stop();
  vi.advanceTimersByTime(200);
  expect(pingTickerState()).toEqual({ streams: 0, timers: 0 });
});

it('streams on different intervals keep their own cadence', () => {
  const fast = target();
  const slow = target();
  const stops = [watchSilence(100, fast), watchSilence(1000, slow)];
  expect(pingTickerState().timers).toBe(2);
  vi.advanceTimersByTime(2000);
  expect(fast.pings.length).toBeGreaterThanOrEqual(13);
  expect(slow.pings.length).toBeLessThanOrEqual(2);
  expect(slow.pings.length).toBeGreaterThanOrEqual(1);
  for (const stop of stops) stop();
  vi.advanceTimersByTime(1000);
  expect(pingTickerState()).toEqual({ streams: 0, timers: 0 });
});

it('a ping that stops another stream neither pings that one nor skips the rest of the tick', () => {
  // Streams are visited newest first: c, then b, then a. Pinging c ends b (as a ping whose write
  // fails may end other streams of its connection) before the walk reaches it.
  const a = target();
  const b = target();
  const stopA = watchSilence(1000, a);
  const stopB = watchSilence(1000, b);
  const c = target();
  const pingC = c.ping.bind(c);
  c.ping = () => {
    stopB();
    return pingC();
  };
  const stopC = watchSilence(1000, c);
  vi.advanceTimersByTime(1500);
  expect(c.pings.length).toBe(1);
  expect(b.pings).toEqual([]);
  expect(a.pings).toEqual(c.pings);
  stopA();
  stopC();
  vi.advanceTimersByTime(1000);
  expect(pingTickerState()).toEqual({ streams: 0, timers: 0 });
});
