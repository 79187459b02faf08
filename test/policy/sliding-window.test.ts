import { describe, expect, it } from 'vitest';
import { SlidingWindow } from '../../src-proxy/policy/sliding-window.ts';

const T0 = 1_800_000_000_000; // a whole second

describe('a sliding one-minute window', () => {
  it('admits up to the limit and says when the next one fits', () => {
    const window = new SlidingWindow();
    for (let i = 0; i < 3; i++) {
      expect(window.waitMs(T0 + 500, 1, 3)).toBe(0);
      window.add(T0 + 500, 1);
    }
    expect(window.total(T0 + 500)).toBe(3);
    // The slice [T0, T0+1s) counts until a full minute after its end: T0 + 61 s.
    expect(window.waitMs(T0 + 500, 1, 3)).toBe(60_500);
    expect(window.waitMs(T0 + 60_999, 1, 3)).toBe(1);
    expect(window.waitMs(T0 + 61_000, 1, 3)).toBe(0);
    expect(window.total(T0 + 61_000)).toBe(0);
  });

  it('never holds more than the limit in any true 60-second span', () => {
    const window = new SlidingWindow();
    const admitted: number[] = [];
    for (let t = T0; t < T0 + 300_000; t += 137) {
      if (window.waitMs(t, 1, 10) === 0) {
        window.add(t, 1);
        admitted.push(t);
      }
    }
    for (let i = 10; i < admitted.length; i++) expect(admitted[i]! - admitted[i - 10]!).toBeGreaterThanOrEqual(60_000);
    expect(admitted.length).toBeGreaterThan(40);
  });

  it('frees the oldest slices first when weights differ', () => {
    const window = new SlidingWindow();
    window.add(T0, 600);
    window.add(T0 + 10_000, 300);
    expect(window.waitMs(T0 + 20_000, 200, 1000)).toBe(41_000); // T0 + 61 s drops the 600
    expect(window.waitMs(T0 + 20_000, 800, 1000)).toBe(51_000); // needs the 300 gone too
  });

  it('corrects an estimate in its own slice while it counts, and keeps only increases after', () => {
    const window = new SlidingWindow();
    window.add(T0, 1000);
    window.adjust(T0 + 5_000, T0, -700);
    expect(window.total(T0 + 5_000)).toBe(300);
    window.adjust(T0 + 5_000, T0, -5_000);
    expect(window.total(T0 + 5_000)).toBe(0);
    window.adjust(T0 + 90_000, T0, 400);
    expect(window.total(T0 + 90_000)).toBe(400);
    window.adjust(T0 + 90_000, T0, -400);
    expect(window.total(T0 + 90_000)).toBe(400);
  });

  it('forgets everything after a long silence', () => {
    const window = new SlidingWindow();
    window.add(T0, 5);
    expect(window.total(T0 + 3_600_000)).toBe(0);
    window.add(T0 + 3_600_000, 2);
    expect(window.total(T0 + 3_600_500)).toBe(2);
  });
});
