/**
 * Operations that configure (control/contract.ts declares each operation's effect) are followed
 * by a refresh, so the next request routes with what was just saved: routing snapshots, cached
 * keys and verified tokens are dropped and settings are read again. With a team store the change
 * is first written through to the shared database, so the answer means every instance can see it.
 */
import { CONTROL_OPERATIONS, type ControlApi, type ControlOperationName } from '../control/contract.ts';

export function refreshingAfterConfigure(service: ControlApi, refresh: () => void, sync?: () => Promise<void> | undefined): ControlApi {
  const wrapped = { ...service };
  for (const name of Object.keys(CONTROL_OPERATIONS) as ControlOperationName[]) {
    if (CONTROL_OPERATIONS[name].effect !== 'configure') continue;
    const operation = service[name] as (request: unknown) => Promise<unknown>;
    (wrapped as Record<ControlOperationName, unknown>)[name] = async (request: unknown) => {
      const result = await operation.call(service, request);
      // A team store: the change is written through to the shared database before the answer.
      await sync?.();
      refresh();
      return result;
    };
  }
  return wrapped;
}
