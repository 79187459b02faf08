/**
 * Operations that configure (control/contract.ts declares each operation's effect) are followed
 * by a refresh, so the next request routes with what was just saved: routing snapshots, cached
 * keys and verified tokens are dropped and settings are read again.
 *
 * With a team store an operation that configures runs as the only one of the team at that moment
 * (Store.exclusive: an advisory lock), on the newest configuration, and is written through to the
 * shared database before the answer, so the answer means every instance can see it. The newest
 * configuration matters because instances learn of each other's changes by a notification that
 * may arrive later than the next call: a dashboard behind a load balancer saves a provider through
 * one instance and its key, a moment later, through the other, which must not answer "no such
 * provider" (nor two saves on two instances overwrite each other's columns).
 */
import { CONTROL_OPERATIONS, type ControlApi, type ControlOperationName } from '../control/contract.ts';
import type { Store } from '../store/types.ts';

export function refreshingAfterConfigure(service: ControlApi, refresh: () => void, team?: Pick<Store, 'exclusive' | 'sync'>): ControlApi {
  const wrapped = { ...service };
  for (const name of Object.keys(CONTROL_OPERATIONS) as ControlOperationName[]) {
    if (CONTROL_OPERATIONS[name].effect !== 'configure') continue;
    const operation = service[name] as (request: unknown) => Promise<unknown>;
    (wrapped as Record<ControlOperationName, unknown>)[name] = async (request: unknown) => {
      const result = team?.exclusive ? await team.exclusive('configure', () => operation.call(service, request)) : await operation.call(service, request);
      // A team store: the change (and spend and history pending) is written through before the answer.
      await team?.sync?.();
      refresh();
      return result;
    };
  }
  return wrapped;
}
