/**
 * The dashboard's own client token, for "try it" and the Connect checks: one token, marked
 * `managedBy: 'dashboard'`, handed again to every tab and after every restart (its ciphertext is
 * kept, like every client token's), so tokens do not pile up. Re-created only when the user
 * revoked it (or it can no longer be decrypted).
 */
import type { DashboardClientToken } from './contract.ts';
import { GatewayError } from '../errors/codes.ts';
import type { Store } from '../store/types.ts';

const BASE_NAME = 'dashboard';

export function dashboardClientToken(store: Pick<Store, 'clientTokens' | 'transaction'>): DashboardClientToken {
  return store.transaction(() => {
    const live = store.clientTokens.list().filter((token) => token.revokedAt === null);
    const mine = live.find((token) => token.managedBy === 'dashboard');
    if (mine) {
      const token = revealOrNull(store, mine.id);
      if (token !== null) return { id: mine.id, name: mine.name, token };
      store.clientTokens.revoke(mine.id);
    }
    const taken = new Set(live.map((token) => token.name));
    let name = BASE_NAME;
    for (let n = 2; taken.has(name); n += 1) name = `${BASE_NAME}-${n}`;
    const created = store.clientTokens.create(name, undefined, undefined, 'dashboard');
    return { id: created.id, name: created.name, token: created.token };
  });
}

function revealOrNull(store: Pick<Store, 'clientTokens'>, id: string): string | null {
  try {
    return store.clientTokens.reveal(id);
  } catch (error) {
    // Written under another key file / keyring: it cannot be handed out again, so it is replaced.
    if (error instanceof GatewayError && error.code === 'secret_unavailable') return null;
    throw error;
  }
}
