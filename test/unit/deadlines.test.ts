import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeadlines, type DeadlineEntry } from '../../src-proxy/http/deadlines.ts';

function entry(name: string, expired: string[]): DeadlineEntry {
  return { deadlineAt: 0, deadlinePrev: null, deadlineNext: null, deadlineList: null, expire: () => expired.push(name) };
}

describe('request deadlines: one timer per budget, none per request', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires each entry at its own deadline, in the order armed, with one timer', () => {
    const expired: string[] = [];
    const list = createDeadlines().listFor(100);
    const a = entry('a', expired);
    const b = entry('b', expired);
    list.add(a);
    vi.advanceTimersByTime(40);
    list.add(b);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(59);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a']);
    // b was armed 40 ms later: its deadline, not a's, and not before.
    vi.advanceTimersByTime(39);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a', 'b']);
    expect(list.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never expires an entry removed before its deadline (the request ended), wherever it sits', () => {
    const expired: string[] = [];
    const list = createDeadlines().listFor(50);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => entry(name, expired)) as [DeadlineEntry, DeadlineEntry, DeadlineEntry];
    list.add(a);
    list.add(b);
    list.add(c);
    list.remove(b);
    list.remove(a);
    list.remove(a);
    expect(list.size).toBe(1);
    vi.advanceTimersByTime(50);
    expect(expired).toEqual(['c']);
    // The timer armed for a (removed) fired and found c due at the same time; nothing is left armed.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps budgets apart: a shorter budget armed later still expires first', () => {
    const expired: string[] = [];
    const deadlines = createDeadlines();
    deadlines.listFor(200).add(entry('long', expired));
    vi.advanceTimersByTime(10);
    deadlines.listFor(50).add(entry('short', expired));
    expect(deadlines.listFor(50)).toBe(deadlines.listFor(50));
    vi.advanceTimersByTime(50);
    expect(expired).toEqual(['short']);
    vi.advanceTimersByTime(140);
    expect(expired).toEqual(['short', 'long']);
  });

  it('moves an entry armed again to the new list and deadline', () => {
    const expired: string[] = [];
    const deadlines = createDeadlines();
    const a = entry('a', expired);
    deadlines.listFor(30).add(a);
    deadlines.listFor(100).add(a);
    expect(deadlines.listFor(30).size).toBe(0);
    vi.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a']);
  });

  it('an expiry that ends the next due request (or re-arms itself) loses no other expiry', () => {
    // Entries due at the same firing: a's expiry ends b (its request ends, so it leaves the list)
    // and arms a again; c is still due and expires in the same firing, b never, a one budget later.
    const expired: string[] = [];
    const list = createDeadlines().listFor(50);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => entry(name, expired)) as [DeadlineEntry, DeadlineEntry, DeadlineEntry];
    a.expire = () => {
      expired.push('a');
      list.remove(b);
      if (expired.length === 1) list.add(a);
    };
    list.add(a);
    list.add(b);
    list.add(c);
    vi.advanceTimersByTime(50);
    expect(expired).toEqual(['a', 'c']);
    vi.advanceTimersByTime(50);
    expect(expired).toEqual(['a', 'c', 'a']);
    expect(list.size).toBe(0);
  });
});
