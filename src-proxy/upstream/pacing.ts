/**
 * Provider pacing as the upstream HTTP layer sees it: a call that carries a provider's limits
 * (rpm, tpm, concurrency) waits in the fair queue of its host (fair-scheduler.ts) until the
 * provider's windows have room, at most the pacing wait setting; past it the call fails with
 * 429 pacing_timeout and a Retry-After. The counting itself (sliding windows) lives in the policy
 * step (policy/provider-pacing.ts); this file is only the contract between the two floors.
 */
import type { ProviderLimits } from '../domain/governance.ts';
import { GatewayError } from '../errors/codes.ts';

/** One upstream call held to its provider's pacing limits. */
export interface PacedCall {
  provider: string;
  limits: ProviderLimits;
  /** Estimated input tokens; Pacer.correct puts the real count in their place. */
  tokens: number;
  /** Set by Pacer.start: when the call took its share of the windows. */
  startedAt?: number;
}

export interface Pacer {
  /** Milliseconds before the per-minute windows let `call` start (0 = now). */
  windowWaitMs(call: PacedCall, now: number): number;
  /** True while the provider has `concurrency` calls in flight (a release wakes the queue). */
  full(call: PacedCall): boolean;
  /** The call leaves the queue and starts: takes one request and its tokens, and a place in flight. */
  start(call: PacedCall, now: number): void;
  /** The call's answer was read or abandoned. */
  end(call: PacedCall): void;
  /** The call's real token count is known (input + output). */
  correct(call: PacedCall, tokens: number, now: number): void;
  /** A call starts or stops waiting in a queue (for the provider's queue length). */
  waiting(call: PacedCall, delta: 1 | -1): void;
}

/** How often a call blocked only by concurrency looks again (a release wakes it sooner). */
export const CONCURRENCY_RECHECK_MS = 1000;

/** The pacing gate of a fair scheduler: how long `call` must still wait. */
export function pacingWaitMs(pacer: Pacer, call: PacedCall, now: number): number {
  return pacer.full(call) ? CONCURRENCY_RECHECK_MS : pacer.windowWaitMs(call, now);
}

export function pacingTimeout(call: PacedCall, waitMs: number, maxWaitMs: number): GatewayError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new GatewayError(
    'pacing_timeout',
    `Provider "${call.provider}" is at its pacing limits in Switchboard; this request would wait longer than the pacing wait (${Math.round(maxWaitMs / 1000)} s). Retry in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
  );
}
