/**
 * Keys as the dashboard sees them: the store's masked rows, plus for each OAuth2 account whether
 * Switchboard holds an access token and until when — read from the sealed material, never the
 * token itself. Plain keys cost nothing here (the sealed material is opened only for accounts).
 */
import { decodeKeyMaterial } from '../domain/provider-key.ts';
import type { KeyAccountState, KeyInfo } from '../domain/provider.ts';
import type { ProviderKeySecret } from '../store/types.ts';

export function keyViews(keys: KeyInfo[], secrets: () => ProviderKeySecret[]): KeyInfo[] {
  if (!keys.some((key) => key.type === 'oauth2')) return keys;
  const sealed = new Map(secrets().map((key) => [key.id, key]));
  return keys.map((key) => {
    const state = key.type === 'oauth2' ? accountState(sealed.get(key.id)) : null;
    return state ? { ...key, account: state } : key;
  });
}

function accountState(key: ProviderKeySecret | undefined): KeyAccountState | null {
  if (!key) return null;
  try {
    const material = decodeKeyMaterial(key.reveal());
    if (material.type !== 'oauth2') return null;
    return { hasToken: material.token !== undefined, tokenExpiresAt: material.token?.expiresAt ?? null };
  } catch {
    // A key that no longer opens is listed without its account state; using it reports why.
    return null;
  }
}
