/**
 * The default LimitStore: per-minute windows and running counts in memory (they mean nothing
 * after a restart), spend per client per local day, month and lifetime in SQLite (it must survive
 * one). Spend is read once per client and period, kept in memory, and written behind in batches
 * (one transaction per second at most), so a request never waits for the disk.
 */
import type { ClientLimits, ClientUsage, SpendTotals } from '../domain/governance.ts';
import type { ClientSpendRepository } from '../store/types.ts';
import { createCalendar, type Periods } from './calendar.ts';
import type { Consumption, Lease, LimitStore, Refusal, SettledSpend } from './limit-store.ts';
import { SlidingWindow } from './sliding-window.ts';
import { addConsumption, createSpendWriter } from './spend-writer.ts';

export const LIFETIME_PERIOD = 'life';
/** Retry-After when a concurrency slot is what is missing: slots free when a request ends. */
const CONCURRENCY_RETRY_SECONDS = 1;

interface PeriodSpend {
  period: string;
  totals: SpendTotals;
}

interface ClientState {
  requests: SlidingWindow | null;
  tokens: SlidingWindow | null;
  active: number;
  day: PeriodSpend;
  month: PeriodSpend;
  lifetime: SpendTotals;
}

export interface MemoryLimitStoreOptions {
  spend: ClientSpendRepository;
  /** Longest time spend waits in memory before it is written. Default 1000 ms. */
  flushIntervalMs?: number;
  onError?(error: unknown): void;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function createMemoryLimitStore(options: MemoryLimitStoreOptions): LimitStore {
  const { spend } = options;
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  const periodsAt = createCalendar();
  const clients = new Map<string, ClientState>();
  const writer = createSpendWriter(spend, flushIntervalMs, options.onError);

  function load(key: string, periods: Periods): ClientState {
    const [day, month, lifetime] = spend.read(key, [periods.day, periods.month, LIFETIME_PERIOD]);
    const state: ClientState = {
      requests: null,
      tokens: null,
      active: 0,
      day: { period: periods.day, totals: day! },
      month: { period: periods.month, totals: month! },
      lifetime: lifetime!,
    };
    clients.set(key, state);
    return state;
  }

  /** The client's state with its day and month rolled over to `now`'s. */
  function stateOf(key: string, now: number): { state: ClientState; periods: Periods } {
    const periods = periodsAt(now);
    const state = clients.get(key) ?? load(key, periods);
    if (state.day.period !== periods.day) state.day = { period: periods.day, totals: spend.read(key, [periods.day])[0]! };
    if (state.month.period !== periods.month) state.month = { period: periods.month, totals: spend.read(key, [periods.month])[0]! };
    return { state, periods };
  }

  function check(state: ClientState, periods: Periods, limits: ClientLimits, estimate: number, now: number): Refusal | null {
    if (limits.maxRequests !== undefined && state.lifetime.requests + state.active >= limits.maxRequests) {
      return { refused: 'maxRequests', limit: limits.maxRequests };
    }
    if (limits.monthlyBudgetUsd !== undefined && state.month.totals.costUsd >= limits.monthlyBudgetUsd) {
      return { refused: 'monthlyBudgetUsd', limit: limits.monthlyBudgetUsd, retryAfterSeconds: seconds(periods.monthEnd - now) };
    }
    if (limits.dailyBudgetUsd !== undefined && state.day.totals.costUsd >= limits.dailyBudgetUsd) {
      return { refused: 'dailyBudgetUsd', limit: limits.dailyBudgetUsd, retryAfterSeconds: seconds(periods.dayEnd - now) };
    }
    if (limits.concurrency !== undefined && state.active >= limits.concurrency) {
      return { refused: 'concurrency', limit: limits.concurrency, retryAfterSeconds: CONCURRENCY_RETRY_SECONDS };
    }
    if (limits.rpm !== undefined) {
      state.requests ??= new SlidingWindow();
      const wait = state.requests.waitMs(now, 1, limits.rpm);
      if (wait > 0) return { refused: 'rpm', limit: limits.rpm, retryAfterSeconds: seconds(wait) };
    }
    if (limits.tpm !== undefined) {
      state.tokens ??= new SlidingWindow();
      // A request larger than the whole limit still runs when the minute is empty (else never).
      const wait = state.tokens.waitMs(now, Math.min(estimate, limits.tpm), limits.tpm);
      if (wait > 0) return { refused: 'tpm', limit: limits.tpm, retryAfterSeconds: seconds(wait) };
    }
    return null;
  }

  return {
    admit(key, limits, estimatedTokens, now) {
      const { state, periods } = stateOf(key, now);
      const refusal = check(state, periods, limits, estimatedTokens, now);
      if (refusal) return refusal;
      state.active += 1;
      if (limits.rpm !== undefined) state.requests!.add(now, 1);
      if (limits.tpm !== undefined) state.tokens!.add(now, estimatedTokens);
      return { key, at: now, estimatedTokens };
    },

    settle(lease, consumption, now): SettledSpend {
      const { state, periods } = stateOf(lease.key, now);
      state.active = Math.max(0, state.active - 1);
      state.tokens?.adjust(now, lease.at, consumption.inputTokens + consumption.outputTokens - lease.estimatedTokens);
      addConsumption(state.day.totals, consumption);
      addConsumption(state.month.totals, consumption);
      addConsumption(state.lifetime, consumption);
      writer.queue(lease.key, periods.day, consumption);
      writer.queue(lease.key, periods.month, consumption);
      writer.queue(lease.key, LIFETIME_PERIOD, consumption);
      return { today: state.day.totals, thisMonth: state.month.totals };
    },

    usage(key, now): ClientUsage {
      const { state, periods } = stateOf(key, now);
      return {
        day: periods.day,
        month: periods.month,
        today: { ...state.day.totals },
        thisMonth: { ...state.month.totals },
        lifetime: { ...state.lifetime },
        active: state.active,
      };
    },

    flush: writer.flush,
    close() {
      writer.flush();
      clients.clear();
    },
  };
}

