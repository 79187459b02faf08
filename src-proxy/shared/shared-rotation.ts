/**
 * The round-robin position of each provider's key pool, shared between instances: one counter
 * per pool on the shared server, advanced with INCR (atomic), so requests spread over several
 * instances still use a pool's keys in turn rather than each instance starting its own rotation.
 * Asked only for pools of more than one key. While the shared server is unreachable the caller
 * gets undefined and rotates with its own local cursor (degraded mode, like limits).
 */
import type { KeyRotation } from '../routing/key-pool.ts';
import type { SharedConnection } from './shared-connection.ts';

/** Counters are dropped a day after a pool's last use (a deleted provider leaves nothing behind). */
const COUNTER_TTL_SECONDS = 24 * 60 * 60;

export function createSharedRotation(deps: { connection: SharedConnection; onError(error: unknown): void }): KeyRotation {
  const { connection } = deps;
  const key = (poolId: string) => `${connection.prefix}rotation:${poolId}`;
  return {
    async next(poolId) {
      if (!connection.isUp()) return undefined;
      try {
        const replies = await connection.client.multi().incr(key(poolId)).expire(key(poolId), COUNTER_TTL_SECONDS).exec();
        const [incrError, position] = replies?.[0] ?? [new Error('the shared server discarded the rotation transaction'), null];
        if (incrError) throw incrError;
        // INCR starts at 1: the first caller gets position 0.
        return Number(position) - 1;
      } catch (error) {
        deps.onError(error);
        return undefined;
      }
    },
  };
}
