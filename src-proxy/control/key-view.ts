/**
 * Keys as the dashboard sees them: the store's masked rows, plus for each OAuth2 account whether
 * Switchboard holds an access token and until when, and its fields for Edit with every secret
 * masked — read from the sealed material, never the token itself. Plain keys cost nothing here
 * (the sealed material is opened only for accounts).
 */
import { decodeKeyMaterial, type KeyMaterial } from '../domain/provider-key.ts';
import type { KeyInfo, MaskedKeyAccount } from '../domain/provider.ts';
import { maskSecret } from '../store/mask.ts';
import type { ProviderKeySecret } from '../store/types.ts';

type Account = Extract<KeyMaterial, { type: 'oauth2' }>;

export function keyViews(keys: KeyInfo[], secrets: () => ProviderKeySecret[]): KeyInfo[] {
  if (!keys.some((key) => key.type === 'oauth2')) return keys;
  const sealed = new Map(secrets().map((key) => [key.id, key]));
  return keys.map((key) => {
    const account = key.type === 'oauth2' ? openAccount(sealed.get(key.id)) : null;
    if (!account) return key;
    return { ...key, account: { hasToken: account.token !== undefined, tokenExpiresAt: account.token?.expiresAt ?? null }, oauth2: maskedAccount(account) };
  });
}

/** The account's fields as Edit shows them: the token URL and scopes as they are, every secret masked. */
export function maskedAccount(account: Account): MaskedKeyAccount {
  return {
    tokenUrl: account.tokenUrl,
    clientId: maskSecret(account.clientId),
    clientSecret: account.clientSecret === undefined ? null : maskSecret(account.clientSecret),
    refreshToken: maskSecret(account.refreshToken),
    scopes: account.scopes ?? [],
  };
}

function openAccount(key: ProviderKeySecret | undefined): Account | null {
  if (!key) return null;
  try {
    const material = decodeKeyMaterial(key.reveal());
    return material.type === 'oauth2' ? material : null;
  } catch {
    // A key that no longer opens is listed without its account state; using it reports why.
    return null;
  }
}
