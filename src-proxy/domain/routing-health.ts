/**
 * Circuit breakers as the status reports them: a provider that cannot be reached
 * is skipped for a while (open), probed in the background, and used again once a probe gets an
 * answer. `connectivityLine` is the one sentence the tray and the Overview show. No zod here: the
 * dashboard imports this module's values (its settings live in settings.ts).
 */

/** The `endpoint` of a History row the engine writes when a circuit changes (see ENGINE_EVENT_DIALECT). */
export const CIRCUIT_EVENT = { opened: 'circuit_open', closed: 'circuit_closed', localFallback: 'local_fallback', fallbackEnded: 'local_fallback_ended' } as const;

export type CircuitState = 'closed' | 'open' | 'half_open';

/** A provider whose circuit is not closed. */
export interface OpenCircuit {
  provider: string;
  state: Exclude<CircuitState, 'closed'>;
  /** When it opened (epoch ms). */
  since: number;
  /** When the next probe runs (open) or ran (half-open). */
  probeAt: number;
  /** The failure that opened it. */
  reason: string;
  /** The provider runs on this machine (a loopback base URL). */
  local: boolean;
}

export interface RoutingHealth {
  circuits: OpenCircuit[];
  /** No remote provider answered since a remote circuit opened: this machine looks offline. */
  offline: boolean;
  /** While offline, a local provider answered requests. */
  usingLocal: boolean;
}

export const HEALTHY_ROUTING: RoutingHealth = { circuits: [], offline: false, usingLocal: false };

/** "offline — using local models", "openrouter unreachable — skipped", or null when all is well. */
export function connectivityLine(health: RoutingHealth | undefined): string | null {
  if (!health || health.circuits.length === 0) return null;
  if (health.offline) return health.usingLocal ? 'offline — using local models' : 'offline — providers unreachable';
  const names = health.circuits.map((circuit) => circuit.provider);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ');
  return `${shown} unreachable — skipped until ${names.length === 1 ? 'it answers' : 'they answer'}`;
}
