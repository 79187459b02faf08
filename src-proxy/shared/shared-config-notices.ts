/**
 * Configuration changes pushed between instances: after an operation that configures (settings,
 * providers, keys, aliases, clients…) the instance that ran it tells the others through the
 * shared server, and each of them reads the store again (routing, cached keys and tokens,
 * settings) at once instead of serving from its caches until a restart. The notice carries no
 * data, only that something changed: the store stays the one source of truth. A notice lost while
 * the shared server is away is made up for when it returns (every instance reloads then).
 */
import { z } from 'zod';
import type { SharedConnection } from './shared-connection.ts';

const CHANNEL = 'config-changed';

const noticeSchema = z.object({ from: z.string(), at: z.number() });

export interface SharedConfigNotices {
  /** This instance changed the configuration: tell the others. */
  announce(): void;
}

export function createSharedConfigNotices(deps: {
  connection: SharedConnection;
  /** Read the configuration again (without announcing it). */
  reload(): void;
  onError(error: unknown): void;
}): SharedConfigNotices {
  const { connection } = deps;
  let everUp = connection.isUp();

  connection.subscribe(CHANNEL, (message) => {
    let notice: z.infer<typeof noticeSchema>;
    try {
      notice = noticeSchema.parse(JSON.parse(message));
    } catch (error) {
      return deps.onError(error);
    }
    if (notice.from !== connection.instanceId) deps.reload();
  });
  // Changes made elsewhere while this instance could not hear them.
  connection.onChange((up) => {
    if (up && everUp) deps.reload();
    if (up) everUp = true;
  });

  return {
    announce() {
      connection.publish(CHANNEL, JSON.stringify({ from: connection.instanceId, at: Date.now() }));
    },
  };
}
