/**
 * Request deadlines without a timer per request. Every request armed with the same budget (the
 * total timeout comes from one setting) expires in the order it was armed, so one list per
 * budget, oldest first, needs only one timer: armed for the oldest entry, it expires every entry
 * that is due when it fires and re-arms for the next. Entries link into the list themselves
 * (no node object) and leave it in O(1) when their request ends, which is the common case.
 * Node's own timers work the same way inside, but allocate a Timeout (plus a closure for its
 * callback) per setTimeout; here arming a deadline allocates nothing.
 */

/**
 * Milliseconds on a clock that never steps (as Node's own timers use): a wall clock set forward
 * by NTP or a resume from sleep must not expire requests early, nor one set back hold them late.
 */
const monotonicNow = (): number => performance.now();

/** Something with a deadline: linked into its list by these fields, owned by this module. */
export interface DeadlineEntry {
  deadlineAt: number;
  deadlinePrev: DeadlineEntry | null;
  deadlineNext: DeadlineEntry | null;
  deadlineList: DeadlineList | null;
  /** Called once when the deadline passes while the entry is still armed. */
  expire(): void;
}

export class DeadlineList {
  private head: DeadlineEntry | null = null;
  private tail: DeadlineEntry | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly ms: number,
    private readonly now: () => number = monotonicNow,
  ) {}

  /** Arms `entry` to expire `ms` from now (an entry armed elsewhere is moved here). */
  add(entry: DeadlineEntry): void {
    if (entry.deadlineList) entry.deadlineList.remove(entry);
    entry.deadlineAt = this.now() + this.ms;
    entry.deadlineList = this;
    entry.deadlinePrev = this.tail;
    entry.deadlineNext = null;
    if (this.tail) this.tail.deadlineNext = entry;
    else this.head = entry;
    this.tail = entry;
    if (!this.timer) this.arm(entry.deadlineAt);
  }

  /** Disarms `entry` (its request ended); nothing happens if it is not in this list. */
  remove(entry: DeadlineEntry): void {
    if (entry.deadlineList !== this) return;
    const { deadlinePrev: prev, deadlineNext: next } = entry;
    if (prev) prev.deadlineNext = next;
    else this.head = next;
    if (next) next.deadlinePrev = prev;
    else this.tail = prev;
    entry.deadlinePrev = null;
    entry.deadlineNext = null;
    entry.deadlineList = null;
  }

  private arm(at: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - this.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    const now = this.now();
    let entry = this.head;
    while (entry && entry.deadlineAt <= now) {
      this.remove(entry);
      entry.expire();
      entry = this.head;
    }
    if (this.head && !this.timer) this.arm(this.head.deadlineAt);
  }

  /** Entries armed now (for tests). */
  get size(): number {
    let count = 0;
    for (let entry = this.head; entry; entry = entry.deadlineNext) count++;
    return count;
  }
}

export interface Deadlines {
  listFor(ms: number): DeadlineList;
}

/** One list per budget in ms (a changed setting starts a new list; the old one runs out). */
export function createDeadlines(now: () => number = monotonicNow): Deadlines {
  const lists = new Map<number, DeadlineList>();
  return {
    listFor(ms) {
      let list = lists.get(ms);
      if (!list) {
        list = new DeadlineList(ms, now);
        // Budgets are a setting: a handful of values over a process's life at most.
        if (lists.size >= 16) lists.clear();
        lists.set(ms, list);
      }
      return list;
    },
  };
}
