/**
 * The one resting-and-rotation logic of the router's pools: keys of a provider (key-pool.ts) and
 * proxies of a proxy pool (proxy-pool.ts) are used in turn, and a member that failed rests until
 * a time, after which it is back in rotation on its own. Slots are the members' ids (or a
 * member + model for a key rested for one upstream model only).
 */
export interface Rests<Slot> {
  /** When `slot` is free again, or null when it does not rest (an expired rest is forgotten). */
  until(slot: Slot): number | null;
  /** Rests `slot` for `ms` (bounded by maxMs); returns the time it is free again. */
  rest(slot: Slot, ms: number): number;
  /** Rests `slot` until `until` unless it already rests longer; false when nothing changed. */
  restUntil(slot: Slot, until: number): boolean;
  /** Ends the rest of `slot`; true when it rested. */
  clear(slot: Slot): boolean;
  /** Ends every rest whose slot matches. */
  clearWhere(match: (slot: Slot) => boolean): void;
  /** No slot rests (the hot path skips filtering). */
  readonly empty: boolean;
}

export function createRests<Slot>(deps: { now: () => number; maxMs: number }): Rests<Slot> {
  const rests = new Map<Slot, number>();
  return {
    until(slot) {
      const until = rests.get(slot);
      if (until === undefined) return null;
      if (until <= deps.now()) {
        rests.delete(slot);
        return null;
      }
      return until;
    },
    rest(slot, ms) {
      const until = deps.now() + Math.min(ms, deps.maxMs);
      rests.set(slot, until);
      return until;
    },
    restUntil(slot, until) {
      const bounded = Math.min(until, deps.now() + deps.maxMs);
      if ((rests.get(slot) ?? 0) >= bounded) return false;
      rests.set(slot, bounded);
      return true;
    },
    clear: (slot) => rests.delete(slot),
    clearWhere(match) {
      for (const slot of [...rests.keys()]) if (match(slot)) rests.delete(slot);
    },
    get empty() {
      return rests.size === 0;
    },
  };
}

/**
 * Round-robin over `items` per group: each call starts one further along (and advances the
 * cursor); `position` (a shared counter's value) overrides the local cursor.
 */
export function createRotation() {
  const cursors = new Map<string, number>();
  return function rotate<T>(group: string, items: readonly T[], position?: number): T[] {
    if (items.length === 0) return [];
    // One item (a provider with one key, the usual case): nothing to rotate, no array per call (callers only read it).
    if (items.length === 1) return items as T[];
    const cursor = (position ?? cursors.get(group) ?? 0) % items.length;
    cursors.set(group, cursor + 1);
    // One array, filled in rotated order (this runs once per model call).
    const rotated = new Array<T>(items.length);
    for (let i = 0; i < items.length; i++) rotated[i] = items[(cursor + i) % items.length]!;
    return rotated;
  };
}
