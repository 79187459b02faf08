/**
 * A fair queue for one upstream host. Every upstream call takes a slot here before it opens a
 * connection, and gives it back when its answer has been read (or abandoned). Without it, one
 * client holding hundreds of slow streams fills the host's connections and every other tool
 * waits behind it in one first-come queue.
 *
 * - Capacity: at most `capacity()` calls in flight per host (the setting
 *   upstreamConnectionsPerHost; the HTTP agent has as many connections).
 * - Bounded share: the last `reserve` slots only go to light clients (fewer than `lightLimit`
 *   calls in flight), so a client that holds everything else still leaves room for a newcomer.
 * - Per-client queues, round robin: a freed slot goes to the next waiting client in turn, not
 *   to whoever queued the most.
 * - Work-conserving: a slot never idles while a request that may take it waits.
 * - A request whose caller went away leaves the queue at once.
 * - `gate` (optional): how long a request must still wait before it may start (pacing); the
 *   scheduler re-checks when that time has passed, or sooner when a slot comes back. Provider
 *   pacing (pacing.ts) plugs in here, with `started` / `released` to count what it let through.
 */
import type { PacedCall } from './pacing.ts';
import type { CallSignal } from './call-signal.ts';

export interface Slot {
  /** Gives the slot back; later calls do nothing. */
  release(): void;
}

export interface QueuedRequest {
  client: string;
  /** What the request is for (e.g. a provider id), for a pacing gate. */
  tag?: string;
  /** The provider limits the call is paced by. */
  pace?: PacedCall;
}

export interface FairScheduler {
  acquire(client: string, signal: CallSignal, tag?: string, pace?: PacedCall): Promise<Slot>;
  /** A slot now if one may start without waiting (nobody queued, the gate open), else null. */
  tryAcquire(client: string, tag?: string, pace?: PacedCall): Slot | null;
  /** Slots kept for light clients. */
  readonly reserve: number;
  stats(): { active: number; queued: number; clients: number };
}

export interface FairSchedulerOptions {
  capacity: () => number;
  /** Slots only light clients may take; default an eighth of the capacity (at least 1). */
  reserve?: number;
  /** A client with fewer calls in flight than this counts as light; default max(1, reserve / 2). */
  lightLimit?: number;
  /** Milliseconds `request` must still wait before it may start; 0 = now. */
  gate?: (request: QueuedRequest) => number;
  /** A gated request starts (in the same step the gate let it through, so none overtakes it). */
  started?: (request: QueuedRequest) => void;
  /** A request that `started` was called for gave its slot back. */
  released?: (request: QueuedRequest) => void;
}

interface Waiter extends QueuedRequest {
  grant: (slot: Slot) => void;
  fail: (reason: unknown) => void;
  signal: CallSignal;
  onAbort: () => void;
}

/** A request's queue entry: `tag` and `pace` only when given (one object, no spread copies). */
function queuedRequest(client: string, tag: string | undefined, pace: PacedCall | undefined): QueuedRequest {
  const request: QueuedRequest = { client };
  if (tag !== undefined) request.tag = tag;
  if (pace !== undefined) request.pace = pace;
  return request;
}

export function createFairScheduler(options: FairSchedulerOptions): FairScheduler {
  const reserveFor = (capacity: number) => options.reserve ?? Math.max(1, Math.ceil(capacity / 8));
  const active = new Map<string, number>();
  const queues = new Map<string, Waiter[]>();
  /** Clients with waiting requests, in turn order. */
  const turn: string[] = [];
  let inFlight = 0;
  let queued = 0;
  let gateTimer: NodeJS.Timeout | null = null;
  let gateTimerAt = Infinity;

  function mayStart(client: string): boolean {
    const capacity = Math.max(1, options.capacity());
    if (inFlight >= capacity) return false;
    const reserve = Math.min(reserveFor(capacity), capacity - 1);
    if (inFlight < capacity - reserve) return true;
    const lightLimit = options.lightLimit ?? Math.max(1, Math.floor(reserve / 2));
    return (active.get(client) ?? 0) < lightLimit;
  }

  function start(client: string, request?: QueuedRequest): Slot {
    inFlight++;
    active.set(client, (active.get(client) ?? 0) + 1);
    const paced = request?.pace !== undefined && options.started !== undefined;
    if (paced) options.started!(request!);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        if (paced) options.released?.(request!);
        inFlight--;
        const left = (active.get(client) ?? 1) - 1;
        if (left === 0) active.delete(client);
        else active.set(client, left);
        dispatch();
      },
    };
  }

  function removeWaiter(waiter: Waiter): void {
    const queue = queues.get(waiter.client);
    if (!queue) return;
    const index = queue.indexOf(waiter);
    if (index === -1) return;
    queue.splice(index, 1);
    queued--;
    if (queue.length === 0) {
      queues.delete(waiter.client);
      turn.splice(turn.indexOf(waiter.client), 1);
    }
  }

  /** Hands free slots to waiting requests, one client at a time in turn. */
  function dispatch(): void {
    let soonestGate = Infinity;
    let progressed = true;
    while (progressed && turn.length > 0) {
      progressed = false;
      for (let checked = 0; checked < turn.length; checked++) {
        const client = turn[0]!;
        // Rotate first: whatever happens, the next look starts with the next client.
        turn.push(turn.shift()!);
        if (!mayStart(client)) continue;
        const waiter = queues.get(client)![0]!;
        const wait = options.gate?.(waiter) ?? 0;
        if (wait > 0) {
          soonestGate = Math.min(soonestGate, wait);
          continue;
        }
        removeWaiter(waiter);
        waiter.signal.removeEventListener('abort', waiter.onAbort);
        waiter.grant(start(client, waiter));
        progressed = true;
        break;
      }
    }
    // One timer, for the soonest gate: a later, shorter gate moves it earlier.
    if (soonestGate !== Infinity && Date.now() + soonestGate < gateTimerAt) {
      if (gateTimer) clearTimeout(gateTimer);
      gateTimerAt = Date.now() + soonestGate;
      gateTimer = setTimeout(() => {
        gateTimer = null;
        gateTimerAt = Infinity;
        dispatch();
      }, soonestGate);
      gateTimer.unref();
    }
  }

  return {
    get reserve() {
      return reserveFor(Math.max(1, options.capacity()));
    },
    tryAcquire(client, tag, pace) {
      if (turn.length > 0 || !mayStart(client)) return null;
      const request = queuedRequest(client, tag, pace);
      return (options.gate?.(request) ?? 0) <= 0 ? start(client, request) : null;
    },
    acquire(client, signal, tag, pace) {
      if (signal.aborted) return Promise.reject(signal.reason);
      const request = queuedRequest(client, tag, pace);
      // The fast case, allocation-free beyond the slot: nobody waits and the gate is open.
      if (turn.length === 0 && mayStart(client) && (options.gate?.(request) ?? 0) <= 0) return Promise.resolve(start(client, request));
      return new Promise<Slot>((grant, fail) => {
        // Every field written out, no `...request`: on this engine (Node 20's V8) a literal that
        // starts with a spread and adds a key gets a hidden class (Map) of its own each time, made
        // in old space, and the queued requests behind those waiters were promoted with them
        // (1.6-1.8 MB of old space per 2,000 queued calls; test/perf/scavenge-retention.test.ts).
        const waiter: Waiter = {
          client,
          tag,
          pace,
          grant,
          fail,
          signal,
          onAbort: () => {
            removeWaiter(waiter);
            fail(signal.reason);
          },
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
        const queue = queues.get(client);
        if (queue) queue.push(waiter);
        else {
          queues.set(client, [waiter]);
          turn.push(client);
        }
        queued++;
        dispatch();
      });
    },
    stats: () => ({ active: inFlight, queued, clients: active.size }),
  };
}
