/**
 * An OAuth account's fields as Edit changes them in place. The listing gives them with every
 * secret masked (`KeyInfo.oauth2`); the client id is edited over its mask, the client secret and
 * refresh token are write-only (blank keeps the saved one). replaceKey keeps a stored secret for
 * a field sent back as its mask, and keeps the access token unless what issued it changed — so a
 * label or proxy edit sends no account at all.
 */
import type { ControlRequest, MaskedKeyAccount } from '../../../src-proxy/control/contract.ts';

export type AccountEdit = NonNullable<ControlRequest<'replaceKey'>['oauth2']>;

export interface AccountValues {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  scopes: string;
}

export function accountValuesOf(saved: MaskedKeyAccount): AccountValues {
  return { tokenUrl: saved.tokenUrl, clientId: saved.clientId, clientSecret: '', refreshToken: '', scopes: saved.scopes.join(' ') };
}

const scopesOf = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** replaceKey's `oauth2` for these values, or null when they change nothing. */
export function accountEditOf(saved: MaskedKeyAccount, values: AccountValues): AccountEdit | null {
  const tokenUrl = values.tokenUrl.trim();
  const clientId = values.clientId.trim();
  const clientSecret = values.clientSecret.trim();
  const refreshToken = values.refreshToken.trim();
  const scopes = scopesOf(values.scopes);
  const unchanged = tokenUrl === saved.tokenUrl && clientId === saved.clientId && !clientSecret && !refreshToken && scopes.join(' ') === saved.scopes.join(' ');
  if (unchanged) return null;
  const secret = clientSecret || saved.clientSecret;
  return { tokenUrl, clientId, ...(secret ? { clientSecret: secret } : {}), refreshToken: refreshToken || saved.refreshToken, ...(scopes.length > 0 ? { scopes } : {}) };
}

/** Why these values cannot be saved, at its field (`oauth2.clientId`…), or null. */
export function accountEditProblem(saved: MaskedKeyAccount, values: AccountValues): { path: string; message: string } | null {
  if (!values.tokenUrl.trim()) return { path: 'oauth2.tokenUrl', message: 'An account needs its token URL.' };
  const clientId = values.clientId.trim();
  if (!clientId) return { path: 'oauth2.clientId', message: 'An account needs its client id.' };
  if (clientId !== saved.clientId && clientId.includes('…')) {
    return { path: 'oauth2.clientId', message: 'Type the whole client id again: "…" stands for the saved one only while it is unchanged.' };
  }
  return null;
}
