/**
 * The dashboard's admin token (headless `serve`): random, kept encrypted in the data folder so
 * it survives restarts — an open dashboard tab keeps working after the engine comes back — and
 * replaced only on request (`switchboard admin-token --rotate`, Settings → Rotate).
 */
import { randomBytes } from 'node:crypto';
import { GatewayError } from '../errors/codes.ts';
import type { Store } from '../store/types.ts';

const SECRET_NAME = 'dashboardAdminToken';

export function generateAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The current token, created on first use. */
export function readAdminToken(store: Pick<Store, 'appState'>): string {
  let stored: string | null;
  try {
    stored = store.appState.getSecret(SECRET_NAME);
  } catch (error) {
    // The key file changed since the token was written: the old token is unusable anyway, so a
    // new one replaces it (the dashboard address printed at start carries it).
    if (!(error instanceof GatewayError && error.code === 'secret_unavailable')) throw error;
    stored = null;
  }
  return stored ?? rotateAdminToken(store);
}

/** The current token without creating one (null where none was ever made, or it is unreadable). */
export function peekAdminToken(store: Pick<Store, 'appState'>): string | null {
  try {
    return store.appState.getSecret(SECRET_NAME);
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'secret_unavailable') return null;
    throw error;
  }
}

/** A new token; the previous one stops working at once. */
export function rotateAdminToken(store: Pick<Store, 'appState'>): string {
  const token = generateAdminToken();
  store.appState.setSecret(SECRET_NAME, token);
  return token;
}
