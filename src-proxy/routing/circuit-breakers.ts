/**
 * Circuit breakers, one per provider. A provider that fails to connect (or times out before its
 * first byte) `failures` times in a row opens: the router skips it at once — no connect timeout
 * waited — so a chain with a local model behind a cloud one answers from the local model while
 * the machine is offline. After `openSeconds` a background probe tries the provider (half-open);
 * an answer of any kind closes the circuit, no answer keeps it open for another period.
 *
 * Only failures of reaching the provider count: an HTTP error status means it was reached.
 * Nothing costs on the hot path while every circuit is closed and no provider has failed.
 */
import type { OpenCircuit, RoutingHealth } from '../domain/routing-health.ts';
import type { CircuitBreakerSettings } from '../domain/settings.ts';
import { HEALTHY_ROUTING } from '../domain/routing-health.ts';
import type { ProviderRecord } from '../domain/provider.ts';
import type { GatewayError } from '../errors/codes.ts';

/** A change worth telling the user (history event, desktop notification, status refresh). */
export type CircuitEvent =
  /** `told`: another instance found it (shared circuit state), this one did not see it fail. */
  | { type: 'opened'; provider: string; reason: string; at: number; retryInMs: number; local: boolean; told?: boolean }
  | { type: 'closed'; provider: string; at: number; openForMs: number; told?: boolean }
  /** A local provider started answering for unreachable remote ones (or the fallback ended). */
  | { type: 'fallback'; usingLocal: boolean; at: number };

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface CircuitBreakerDeps {
  settings(): CircuitBreakerSettings;
  /** Whether the provider answers at all (any HTTP status); never throws. */
  probe(provider: ProviderRecord): Promise<boolean>;
  onChange(event: CircuitEvent): void;
  now?: () => number;
  timers?: Timers;
}

export interface CircuitBreakers {
  /** False while the provider's circuit is open or half-open: skip it without calling. */
  allows(providerId: string): boolean;
  /** When the provider is tried again (an open circuit), for the skip's message. */
  retryAt(providerId: string): number | null;
  /** A call to the provider could not reach it (connect failure, timeout before the first byte). */
  failed(provider: ProviderRecord, error: GatewayError): void;
  /** A call to the provider got its answer. */
  succeeded(provider: ProviderRecord): void;
  health(): RoutingHealth;
  /** Forgets a provider (deleted or changed: its new address deserves a fresh start). */
  forget(providerId: string): void;
  /** After a configuration change: forgets providers that are gone or moved to another base URL. */
  reconcile(providers: readonly ProviderRecord[]): void;
  /** Another instance found the provider unreachable: skip it here too until its probe time. */
  openAsTold(provider: ProviderRecord, reason: string, retryInMs: number): void;
  /** Another instance reached the provider again: close its circuit here too. */
  closeAsTold(providerId: string): void;
  /** Stops probing (the gateway closes). */
  close(): void;
}

/** The error codes that mean the provider was not reached. */
export function isConnectivityFailure(error: GatewayError): boolean {
  return error.code === 'upstream_unreachable' || error.code === 'upstream_timeout';
}

/** A loopback base URL: the provider runs on this machine and stays reachable offline. */
export function isLocalProvider(provider: Pick<ProviderRecord, 'baseUrl'>): boolean {
  try {
    const host = new URL(provider.baseUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || host.startsWith('127.') || host.endsWith('.localhost');
  } catch {
    return false;
  }
}

interface Circuit {
  provider: ProviderRecord;
  state: 'open' | 'half_open';
  since: number;
  probeAt: number;
  reason: string;
  local: boolean;
  timer: unknown;
}

const nodeTimers: Timers = {
  set(run, ms) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createCircuitBreakers(deps: CircuitBreakerDeps): CircuitBreakers {
  const now = deps.now ?? Date.now;
  const timers = deps.timers ?? nodeTimers;
  /** Failures in a row of providers whose circuit is closed. */
  const failures = new Map<string, number>();
  const circuits = new Map<string, Circuit>();
  let lastRemoteSuccessAt = 0;
  let lastRemoteOpenedAt = 0;
  let lastLocalSuccessAt = 0;
  let usingLocalShown = false;
  let closed = false;

  const openRemote = () => [...circuits.values()].some((circuit) => !circuit.local);

  function health(): RoutingHealth {
    if (circuits.size === 0) return HEALTHY_ROUTING;
    const list: OpenCircuit[] = [...circuits.values()].map((circuit) => ({
      provider: circuit.provider.id,
      state: circuit.state,
      since: circuit.since,
      probeAt: circuit.probeAt,
      reason: circuit.reason,
      local: circuit.local,
    }));
    const offline = openRemote() && lastRemoteSuccessAt < lastRemoteOpenedAt;
    return { circuits: list, offline, usingLocal: offline && lastLocalSuccessAt >= lastRemoteOpenedAt && lastLocalSuccessAt > 0 };
  }

  /** Tells about the local fallback when it starts or ends. */
  function noticeFallback(): void {
    const usingLocal = health().usingLocal;
    if (usingLocal === usingLocalShown) return;
    usingLocalShown = usingLocal;
    deps.onChange({ type: 'fallback', usingLocal, at: now() });
  }

  function schedule(circuit: Circuit, inMs?: number): void {
    const ms = inMs ?? deps.settings().openSeconds * 1000;
    circuit.state = 'open';
    circuit.probeAt = now() + ms;
    circuit.timer = timers.set(() => void probe(circuit), ms);
  }

  async function probe(circuit: Circuit): Promise<void> {
    if (closed || circuits.get(circuit.provider.id) !== circuit) return;
    circuit.state = 'half_open';
    const answered = await deps.probe(circuit.provider).catch(() => false);
    if (closed || circuits.get(circuit.provider.id) !== circuit) return;
    if (answered) close(circuit);
    else schedule(circuit);
  }

  function close(circuit: Circuit, told = false): void {
    timers.clear(circuit.timer);
    circuits.delete(circuit.provider.id);
    failures.delete(circuit.provider.id);
    const at = now();
    if (!circuit.local) lastRemoteSuccessAt = at;
    deps.onChange({ type: 'closed', provider: circuit.provider.id, at, openForMs: at - circuit.since, ...(told ? { told } : {}) });
    noticeFallback();
  }

  function open(provider: ProviderRecord, reason: string, told: boolean, retryInMs?: number): void {
    const at = now();
    const local = isLocalProvider(provider);
    const circuit: Circuit = { provider, state: 'open', since: at, probeAt: at, reason, local, timer: null };
    circuits.set(provider.id, circuit);
    if (!local) lastRemoteOpenedAt = at;
    schedule(circuit, retryInMs);
    deps.onChange({ type: 'opened', provider: provider.id, reason, at, retryInMs: circuit.probeAt - at, local, ...(told ? { told } : {}) });
    noticeFallback();
  }

  function forget(providerId: string): void {
    failures.delete(providerId);
    const circuit = circuits.get(providerId);
    if (!circuit) return;
    timers.clear(circuit.timer);
    circuits.delete(providerId);
    noticeFallback();
  }

  return {
    allows: (providerId) => circuits.size === 0 || !circuits.has(providerId),
    retryAt: (providerId) => circuits.get(providerId)?.probeAt ?? null,
    failed(provider, error) {
      if (closed || circuits.has(provider.id)) return;
      const count = (failures.get(provider.id) ?? 0) + 1;
      const threshold = deps.settings().failures;
      if (count < threshold) {
        failures.set(provider.id, count);
        return;
      }
      failures.delete(provider.id);
      open(provider, `${count} connection failure${count === 1 ? '' : 's'} in a row; last: ${error.message.split(/(?<=\.)\s/)[0]}`, false);
    },
    openAsTold(provider, reason, retryInMs) {
      if (closed || circuits.has(provider.id) || !provider.enabled) return;
      failures.delete(provider.id);
      open(provider, reason, true, Math.max(0, retryInMs));
    },
    closeAsTold(providerId) {
      const circuit = circuits.get(providerId);
      if (circuit) close(circuit, true);
    },
    succeeded(provider) {
      // The common case — nothing failed, nothing open — touches nothing.
      if (failures.size === 0 && circuits.size === 0) return;
      failures.delete(provider.id);
      const circuit = circuits.get(provider.id);
      if (circuit) {
        close(circuit);
        return;
      }
      if (circuits.size === 0) return;
      if (isLocalProvider(provider)) lastLocalSuccessAt = now();
      else lastRemoteSuccessAt = now();
      noticeFallback();
    },
    health,
    forget,
    reconcile(providers) {
      if (failures.size === 0 && circuits.size === 0) return;
      const current = new Map(providers.map((provider) => [provider.id, provider]));
      for (const id of [...failures.keys(), ...circuits.keys()]) {
        const provider = current.get(id);
        const circuit = circuits.get(id);
        if (!provider || !provider.enabled || (circuit && circuit.provider.baseUrl !== provider.baseUrl)) forget(id);
      }
    },
    close() {
      closed = true;
      for (const circuit of circuits.values()) timers.clear(circuit.timer);
    },
  };
}
