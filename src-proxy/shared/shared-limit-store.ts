/**
 * The LimitStore of a team: rate-limit windows, running counts and the spend budgets are checked
 * against are kept on the shared server, each check-and-take one Lua script (limit-scripts.ts),
 * so every instance sees the same counters. Spend is also written behind to the durable store
 * (client_spend), which seeds the shared counters for a new period or after the shared server
 * lost them.
 *
 * Degraded mode: while the shared server is unreachable, each instance applies limits on its own
 * (the in-memory store, seeded from the durable store) — a client can then get up to one share per
 * instance. The spend settled meanwhile is added to the shared counters when the server returns.
 */
import { EMPTY_TOTALS, type ClientLimits, type SpendTotals } from '../domain/governance.ts';
import { createCalendar } from '../policy/calendar.ts';
import type { Consumption, Lease, LimitName, LimitStore, Refusal, SettledSpend } from '../policy/limit-store.ts';
import { createMemoryLimitStore, LIFETIME_PERIOD } from '../policy/memory-limit-store.ts';
import { addConsumption, createSpendWriter, mergeTotals } from '../policy/spend-writer.ts';
import type { ClientSpendRepository, ClientTokenRepository } from '../store/types.ts';
import { ADMIT, SEED_OR_ADD, SETTLE } from './limit-scripts.ts';
import type { SharedConnection } from './shared-connection.ts';

/** A lease not settled by then (its instance died) frees its concurrency slot anyway. */
const LEASE_LIFETIME_MS = 15 * 60_000;
const DAY_TTL_MS = 3 * 24 * 3600_000;
const MONTH_TTL_MS = 40 * 24 * 3600_000;
const FIELDS = ['requests', 'inputTokens', 'outputTokens', 'costUsd', 'unpricedRequests'] as const;

interface SharedLease extends Lease {
  readonly id: string;
  readonly shared: true;
  /** Its counters' key prefix, named once at admission (naming a token reads the store). */
  readonly base: string;
}

type Script = (...args: Array<string | number>) => Promise<unknown>;

export interface SharedLimitStoreOptions {
  connection: SharedConnection;
  spend: ClientSpendRepository;
  /**
   * The name a client's counters have on the shared server (default: its local key). Instances
   * that do not share one database give the same token different local ids; the gateway names a
   * token by its fingerprint there.
   */
  sharedName?(key: string): string;
  flushIntervalMs?: number;
  onError?(error: unknown): void;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const none = (value: number | undefined) => (value === undefined ? -1 : value);

export function createSharedLimitStore(options: SharedLimitStoreOptions): LimitStore {
  const { connection, spend } = options;
  const client = connection.client;
  client.defineCommand('switchboardAdmit', { numberOfKeys: 6, lua: ADMIT });
  client.defineCommand('switchboardSettle', { numberOfKeys: 5, lua: SETTLE });
  client.defineCommand('switchboardSeedOrAdd', { numberOfKeys: 1, lua: SEED_OR_ADD });
  const script = (name: string): Script => {
    const command = (client as unknown as Record<string, Script>)[name]!;
    return (...args) => command.apply(client, args);
  };
  const admitScript = script('switchboardAdmit');
  const settleScript = script('switchboardSettle');
  const seedScript = script('switchboardSeedOrAdd');

  const periodsAt = createCalendar();
  const writer = createSpendWriter(spend, options.flushIntervalMs ?? 1000, options.onError);
  /** Per-instance limits while the shared server is away; a fresh one each time. */
  let local: LimitStore | null = null;
  /** Spend settled while degraded, added to the shared counters on return: `key\0period` → totals. */
  const missed = new Map<string, { key: string; period: string; totals: SpendTotals }>();
  let leases = 0;
  const leasePrefix = connection.instanceId.slice(0, 8);

  const sharedName = options.sharedName ?? ((key: string) => key);
  const baseOf = (key: string) => `${connection.prefix}limits:{${sharedName(key)}}`;
  const keysOf = (base: string, periods: { day: string; month: string }) => ({
    running: `${base}:running`,
    requests: `${base}:requests`,
    tokens: `${base}:tokens`,
    day: `${base}:spend:${periods.day}`,
    month: `${base}:spend:${periods.month}`,
    lifetime: `${base}:spend:${LIFETIME_PERIOD}`,
  });

  function localStore(): LimitStore {
    if (!local) {
      // Everything this instance settled is in the durable store first: the local view starts there.
      writer.flush();
      local = createMemoryLimitStore({ spend, flushIntervalMs: options.flushIntervalMs, onError: options.onError });
    }
    return local;
  }

  async function seed(key: string, periods: { day: string; month: string }, deltas?: Map<string, SpendTotals>, base = baseOf(key)): Promise<void> {
    writer.flush();
    const names = keysOf(base, periods);
    const order: Array<[string, string, number]> = [
      [periods.day, names.day, DAY_TTL_MS],
      [periods.month, names.month, MONTH_TTL_MS],
      [LIFETIME_PERIOD, names.lifetime, 0],
    ];
    const durable = spend.read(key, order.map(([period]) => period));
    await Promise.all(
      order.map(([period, hash, ttl], index) => {
        const totals = durable[index]!;
        const delta = deltas?.get(period) ?? EMPTY_TOTALS;
        return seedScript(hash, ...FIELDS.map((field) => totals[field]), ...FIELDS.map((field) => delta[field]), ttl);
      }),
    );
  }

  async function admitShared(key: string, limits: ClientLimits, estimatedTokens: number, now: number): Promise<SharedLease | Refusal> {
    const periods = periodsAt(now);
    const base = baseOf(key);
    const names = keysOf(base, periods);
    const id = `${leasePrefix}-${(leases += 1)}`;
    const args = [names.running, names.requests, names.tokens, names.day, names.month, names.lifetime, now, id, estimatedTokens];
    const limitArgs = [none(limits.rpm), none(limits.tpm), none(limits.concurrency), none(limits.maxRequests), none(limits.dailyBudgetUsd), none(limits.monthlyBudgetUsd), LEASE_LIFETIME_MS];
    let answer = (await admitScript(...args, ...limitArgs)) as string[];
    if (answer[0] === 'seed') {
      await seed(key, periods, undefined, base);
      answer = (await admitScript(...args, ...limitArgs)) as string[];
    }
    if (answer[0] === 'ok') return { key, at: now, estimatedTokens, id, shared: true, base };
    const refused = answer[0] as LimitName;
    const limit = limitValue(limits, refused);
    if (refused === 'maxRequests') return { refused, limit };
    const waitMs = refused === 'dailyBudgetUsd' ? periods.dayEnd - now : refused === 'monthlyBudgetUsd' ? periods.monthEnd - now : Number(answer[1]);
    return { refused, limit, retryAfterSeconds: seconds(waitMs) };
  }

  async function settleShared(lease: SharedLease, consumption: Consumption, now: number): Promise<SettledSpend> {
    const periods = periodsAt(now);
    const names = keysOf(lease.base, periods);
    const used = consumption.inputTokens + consumption.outputTokens;
    const cost = consumption.costUsd === null ? '' : String(consumption.costUsd);
    const answer = (await settleScript(names.running, names.tokens, names.day, names.month, names.lifetime, lease.id, lease.at, lease.estimatedTokens, used, consumption.inputTokens, consumption.outputTokens, cost)) as [string, string[]?, string[]?];
    if (answer[0] === 'ok') return { today: totalsOf(answer[1]!), thisMonth: totalsOf(answer[2]!) };
    // The shared counters were gone: seeded from the durable store, which holds this request already.
    await seed(lease.key, periods, undefined, lease.base);
    const [today, thisMonth] = spend.read(lease.key, [periods.day, periods.month]);
    return { today: today!, thisMonth: thisMonth! };
  }

  function remember(key: string, period: string, consumption: Consumption): void {
    const id = `${key}\u0000${period}`;
    let entry = missed.get(id);
    if (!entry) missed.set(id, (entry = { key, period, totals: { ...EMPTY_TOTALS } }));
    addConsumption(entry.totals, consumption);
  }

  /** Back from degraded mode: the spend settled meanwhile joins the shared counters. */
  async function catchUp(): Promise<void> {
    local?.close();
    local = null;
    const byClient = new Map<string, Map<string, SpendTotals>>();
    for (const { key, period, totals } of missed.values()) {
      const periods = byClient.get(key) ?? new Map<string, SpendTotals>();
      const known = periods.get(period);
      if (known) mergeTotals(known, totals);
      else periods.set(period, totals);
      byClient.set(key, periods);
    }
    missed.clear();
    const periods = periodsAt(Date.now());
    for (const [key, deltas] of byClient) {
      try {
        await seed(key, periods, deltas);
      } catch (error) {
        options.onError?.(error);
      }
    }
  }

  connection.onChange((up) => {
    if (up) void catchUp();
  });

  return {
    admit(key, limits, estimatedTokens, now) {
      if (!connection.isUp()) return localStore().admit(key, limits, estimatedTokens, now);
      return admitShared(key, limits, estimatedTokens, now).catch((error: unknown) => {
        options.onError?.(error);
        return localStore().admit(key, limits, estimatedTokens, now);
      });
    },

    settle(lease, consumption, now) {
      const periods = periodsAt(now);
      const shared = (lease as SharedLease).shared === true;
      if (!shared) {
        // Admitted while degraded: counted here (durably, by the local store), shared on return.
        for (const period of [periods.day, periods.month, LIFETIME_PERIOD]) remember(lease.key, period, consumption);
        return localStore().settle(lease, consumption, now);
      }
      for (const period of [periods.day, periods.month, LIFETIME_PERIOD]) writer.queue(lease.key, period, consumption);
      const offline = (): SettledSpend => {
        // Its running slot frees when the lease expires on the server (LEASE_LIFETIME_MS).
        for (const period of [periods.day, periods.month, LIFETIME_PERIOD]) remember(lease.key, period, consumption);
        const [today, thisMonth] = spend.read(lease.key, [periods.day, periods.month]);
        return { today: today!, thisMonth: thisMonth! };
      };
      if (!connection.isUp()) return offline();
      return settleShared(lease as SharedLease, consumption, now).catch((error: unknown) => {
        options.onError?.(error);
        return offline();
      });
    },

    async usage(key, now) {
      const periods = periodsAt(now);
      if (!connection.isUp()) return localStore().usage(key, now);
      const names = keysOf(baseOf(key), periods);
      const [day, month, lifetime, running] = await Promise.all([
        client.hmget(names.day, ...FIELDS),
        client.hmget(names.month, ...FIELDS),
        client.hmget(names.lifetime, ...FIELDS),
        client.zcount(names.running, now, '+inf'),
      ]);
      const durable = spend.read(key, [periods.day, periods.month, LIFETIME_PERIOD]);
      const pick = (values: Array<string | null>, index: number) => (values[0] === null ? { ...durable[index]! } : totalsOf(values));
      return { day: periods.day, month: periods.month, today: pick(day, 0), thisMonth: pick(month, 1), lifetime: pick(lifetime, 2), active: running };
    },

    flush: () => {
      writer.flush();
      local?.flush();
    },
    close() {
      writer.flush();
      local?.close();
    },
  };
}

/** `token:<local id>` → `token:<fingerprint>`; the tokenless lane keeps its name. */
export function sharedClientName(key: string, tokens: Pick<ClientTokenRepository, 'fingerprint'>): string {
  if (!key.startsWith('token:')) return key;
  const fingerprint = tokens.fingerprint(key.slice('token:'.length));
  return fingerprint === null ? key : `token:${fingerprint}`;
}

function totalsOf(values: ReadonlyArray<string | null>): SpendTotals {
  const [requests, inputTokens, outputTokens, costUsd, unpricedRequests] = values.map((value) => Number(value ?? 0));
  return { requests: requests!, inputTokens: inputTokens!, outputTokens: outputTokens!, costUsd: costUsd!, unpricedRequests: unpricedRequests! };
}

function limitValue(limits: ClientLimits, name: LimitName): number {
  return limits[name] ?? 0;
}
