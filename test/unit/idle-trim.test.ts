// @vitest-environment node
/**
 * The idle trim (memory/idle-trim.ts): glibc's malloc_trim once the gateway has been idle for a
 * whole check interval, once per idle spell, never while a request is in flight. Driven tick by
 * tick through an injected timer.
 */
import { describe, expect, it } from 'vitest';
import { startIdleTrim } from '../../src-proxy/memory/idle-trim.ts';

function harness() {
  const state = { inFlight: 0, turnover: 0, trims: 0, unrefs: 0, cleared: 0, everyMs: 0, armed: false };
  let run: (() => void) | null = null;
  let wake: (() => void) | null = null;
  const stop = startIdleTrim({
    malloc: { trim: () => (state.trims++, true) },
    inFlight: () => state.inFlight,
    turnover: () => state.turnover,
    whenNextRequest: (callback) => {
      wake = callback;
    },
    idleMs: 1000,
    setInterval: (callback, ms) => {
      run = callback;
      state.armed = true;
      state.everyMs = ms;
      return { unref: () => state.unrefs++ };
    },
    clearInterval: () => {
      state.cleared++;
      state.armed = false;
    },
  });
  return {
    state,
    tick: () => {
      if (state.armed) run!();
    },
    /** A request starts (the registry calls back once) and, with `ends`, ends. */
    request: (ends = true) => {
      state.turnover++;
      const callback = wake;
      wake = null;
      callback?.();
      if (ends) state.turnover++;
      else state.inFlight++;
    },
    stop,
  };
}

describe('idle trim', () => {
  it('trims at the first check of a gateway that has seen no request, on an unref\'d timer of the idle interval', () => {
    const { state, tick } = harness();
    expect(state.everyMs).toBe(1000);
    expect(state.unrefs).toBe(1);
    tick();
    expect(state.trims).toBe(1);
  });

  it('trims again after 2, 4, 8, 16, 32 and 64 quiet intervals of the same idle spell, then no more', () => {
    const { state, tick } = harness();
    const trimmedAt: number[] = [];
    for (let interval = 1; interval <= 200; interval++) {
      const before = state.trims;
      tick();
      if (state.trims > before) trimmedAt.push(interval);
    }
    expect(trimmedAt).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });

  it('stops its timer after the last trim of a spell, and the next request starts a new spell', () => {
    const { state, tick, request } = harness();
    for (let interval = 1; interval <= 64; interval++) tick();
    expect(state.trims).toBe(7);
    expect(state.armed).toBe(false); // an idle gateway is not woken every second
    request();
    expect(state.armed).toBe(true);
    expect(state.unrefs).toBe(2);
    tick(); // the request came and went in this interval
    expect(state.trims).toBe(7);
    tick();
    expect(state.trims).toBe(8);
  });

  it('a stopped trim stays stopped when a request comes after the spell ended', () => {
    const { state, tick, request, stop } = harness();
    for (let interval = 1; interval <= 64; interval++) tick();
    stop();
    request();
    expect(state.armed).toBe(false);
  });

  it('waits a whole quiet interval after requests started or ended', () => {
    const { state, tick } = harness();
    tick();
    state.turnover += 2; // one request came and went
    tick();
    expect(state.trims).toBe(1);
    tick();
    expect(state.trims).toBe(2); // a new spell's first trim
    tick();
    expect(state.trims).toBe(3); // its second, two quiet intervals in
  });

  it('never trims while a request is in flight, however long it lasts', () => {
    const { state, tick } = harness();
    state.inFlight = 1;
    state.turnover = 1;
    for (let i = 0; i < 5; i++) tick();
    expect(state.trims).toBe(0);
    state.inFlight = 0;
    state.turnover = 2;
    tick();
    expect(state.trims).toBe(0);
    tick();
    expect(state.trims).toBe(1);
  });

  it('stops its timer', () => {
    const { state, stop } = harness();
    stop();
    expect(state.cleared).toBe(1);
  });
});
