/**
 * What Switchboard keeps per session (policy/session-id.ts names them): the in-chat commands'
 * overrides and the loops found. In memory only, forgotten after `sessions.idleMinutes` without a
 * request, and bounded: past `max` sessions the least recently used one goes. The map is kept in
 * order of last use, so the idle ones are always at its front and eviction reads no more than it
 * removes. A gateway with no session state (nobody used a command) pays one size check.
 */
import type { SessionOverrides } from './command-parse.ts';

export interface SessionState {
  /** `!/model(name)`: the model this session's requests go to instead of the one they name. */
  model: string | null;
  overrides: SessionOverrides;
  /** `!/loop(off)` turns loop detection off for this session only. */
  loops: boolean;
  /** Loops found in this session's answers and requests. */
  loopsFound: number;
  seenAt: number;
}

export interface SessionStates {
  /** The session's state, if it has any and has not gone idle (its use counts as activity). */
  get(id: string): SessionState | undefined;
  /** The session's state, created when it has none. */
  open(id: string): SessionState;
  readonly size: number;
}

export interface SessionStatesOptions {
  idleMs: () => number;
  max?: number;
  now?: () => number;
}

export function createSessionStates(options: SessionStatesOptions): SessionStates {
  const now = options.now ?? Date.now;
  const max = options.max ?? 10_000;
  const states = new Map<string, SessionState>();

  function evictIdle(at: number): void {
    const idleMs = options.idleMs();
    for (const [id, state] of states) {
      if (at - state.seenAt <= idleMs) return;
      states.delete(id);
    }
  }

  function touch(id: string, state: SessionState, at: number): SessionState {
    states.delete(id);
    state.seenAt = at;
    states.set(id, state);
    return state;
  }

  return {
    get(id) {
      if (states.size === 0) return undefined;
      const at = now();
      evictIdle(at);
      const state = states.get(id);
      return state && touch(id, state, at);
    },
    open(id) {
      const at = now();
      evictIdle(at);
      const state = states.get(id);
      if (state) return touch(id, state, at);
      if (states.size >= max) states.delete(states.keys().next().value!);
      const fresh: SessionState = { model: null, overrides: {}, loops: true, loopsFound: 0, seenAt: at };
      states.set(id, fresh);
      return fresh;
    },
    get size() {
      return states.size;
    },
  };
}
