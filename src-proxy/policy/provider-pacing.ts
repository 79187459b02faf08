/**
 * Provider pacing: Switchboard keeps its own calls to each provider inside the limits the
 * provider enforces (`providers[].limits`: rpm, tpm, concurrency), so a burst waits in the
 * host's fair queue (upstream/fair-scheduler.ts) instead of earning 429s. Per provider: a sliding
 * minute of requests and one of tokens (estimated at start, corrected with the real count), the
 * calls in flight and the calls waiting. O(1) per call; a provider without limits never gets here.
 * Windows live in memory: pacing is about the next minute, not history.
 */
import type { ProviderLimits, ProviderPacingState } from '../domain/governance.ts';
import type { PacedCall, Pacer } from '../upstream/pacing.ts';
import { SlidingWindow } from './sliding-window.ts';

interface State {
  limits: ProviderLimits;
  requests: SlidingWindow;
  tokens: SlidingWindow;
  active: number;
  waiting: number;
}

export interface ProviderPacing extends Pacer {
  /** Every provider that paced a call since start. */
  states(now?: number): ProviderPacingState[];
}

export function createProviderPacing(): ProviderPacing {
  const providers = new Map<string, State>();

  function stateOf(call: PacedCall): State {
    let state = providers.get(call.provider);
    if (!state) {
      state = { limits: call.limits, requests: new SlidingWindow(), tokens: new SlidingWindow(), active: 0, waiting: 0 };
      providers.set(call.provider, state);
    }
    // The limits a call carries are the provider's current ones (a change applies at once).
    state.limits = call.limits;
    return state;
  }

  return {
    windowWaitMs(call, now) {
      const { rpm, tpm } = call.limits;
      const state = stateOf(call);
      const forRequests = rpm === undefined ? 0 : state.requests.waitMs(now, 1, rpm);
      // A call larger than the whole tpm still starts once the minute is empty (waitMs says when).
      const forTokens = tpm === undefined ? 0 : state.tokens.waitMs(now, call.tokens, tpm);
      return Math.max(forRequests, forTokens);
    },
    full(call) {
      const { concurrency } = call.limits;
      return concurrency !== undefined && stateOf(call).active >= concurrency;
    },
    start(call, now) {
      const state = stateOf(call);
      state.requests.add(now, 1);
      state.tokens.add(now, call.tokens);
      state.active++;
      call.startedAt = now;
    },
    end(call) {
      const state = providers.get(call.provider);
      if (state) state.active = Math.max(0, state.active - 1);
    },
    correct(call, tokens, now) {
      if (call.startedAt === undefined) return;
      const state = providers.get(call.provider);
      state?.tokens.adjust(now, call.startedAt, tokens - call.tokens);
      call.tokens = tokens;
    },
    waiting(call, delta) {
      stateOf(call).waiting += delta;
    },
    states(now = Date.now()) {
      return [...providers.entries()].map(([provider, state]) => ({
        provider,
        limits: state.limits,
        active: state.active,
        waiting: state.waiting,
        requestsLastMinute: state.requests.total(now),
        tokensLastMinute: Math.round(state.tokens.total(now)),
      }));
    },
  };
}
