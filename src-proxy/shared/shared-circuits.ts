/**
 * Circuit-breaker state shared between instances: when one instance finds a provider
 * unreachable and opens its circuit, the others skip that provider at once (until the same probe
 * time) instead of each waiting for its own connection failures; when a probe reaches it again,
 * every instance closes the circuit. Providers are named by their id, which instances configured
 * alike share. Each instance keeps deciding locally on the hot path, as before.
 */
import { z } from 'zod';
import type { ProviderRecord } from '../domain/provider.ts';
import type { CircuitBreakers, CircuitEvent } from '../routing/circuit-breakers.ts';
import type { SharedConnection } from './shared-connection.ts';

const CHANNEL = 'circuits';

const noticeSchema = z.discriminatedUnion('type', [
  z.object({ from: z.string(), type: z.literal('opened'), provider: z.string(), reason: z.string(), retryInMs: z.number() }),
  z.object({ from: z.string(), type: z.literal('closed'), provider: z.string() }),
]);
type Notice = z.infer<typeof noticeSchema>;

export interface SharedCircuits {
  /** A circuit event of this instance; opened and closed ones it found itself are announced. */
  observe(event: CircuitEvent): void;
}

export function createSharedCircuits(deps: {
  connection: SharedConnection;
  breakers: Pick<CircuitBreakers, 'openAsTold' | 'closeAsTold'>;
  provider(id: string): ProviderRecord | null;
  onError(error: unknown): void;
}): SharedCircuits {
  const { connection } = deps;

  connection.subscribe(CHANNEL, (message) => {
    let notice: Notice;
    try {
      notice = noticeSchema.parse(JSON.parse(message));
    } catch (error) {
      return deps.onError(error);
    }
    if (notice.from === connection.instanceId) return;
    if (notice.type === 'closed') return deps.breakers.closeAsTold(notice.provider);
    const provider = deps.provider(notice.provider);
    if (provider) deps.breakers.openAsTold(provider, `${notice.reason} (seen by another instance)`, notice.retryInMs);
  });

  return {
    observe(event) {
      if (event.type === 'fallback' || event.told) return;
      const notice: Notice =
        event.type === 'opened'
          ? { from: connection.instanceId, type: 'opened', provider: event.provider, reason: event.reason, retryInMs: event.retryInMs }
          : { from: connection.instanceId, type: 'closed', provider: event.provider };
      connection.publish(CHANNEL, JSON.stringify(notice));
    },
  };
}
