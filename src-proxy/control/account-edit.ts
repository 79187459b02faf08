/**
 * An OAuth2 account edited in place (replaceKey's `oauth2` on a key that is an account). Edit
 * shows the account's secrets masked (key-view.ts); a field sent back as its mask keeps the stored
 * value — for the refresh token, the one in use, which the token server may have rotated since it
 * was configured. A value that still holds the mask's "…" without being the mask is refused, so a
 * half-edited mask is never stored as a secret. The access token Switchboard holds is kept only
 * while everything that issued it (token URL, client, refresh token, scopes) is unchanged.
 */
import type { KeyAccount, KeyMaterial } from '../domain/provider-key.ts';
import { GatewayError } from '../errors/codes.ts';
import { maskSecret } from '../store/mask.ts';

type Account = Extract<KeyMaterial, { type: 'oauth2' }>;

const MASK_MARK = '…';

export function editedAccount(stored: Account, edit: KeyAccount): Account {
  const clientId = unmasked('clientId', edit.clientId, stored.clientId);
  const clientSecret = edit.clientSecret === undefined ? undefined : unmasked('clientSecret', edit.clientSecret, stored.clientSecret);
  const keepsRefreshToken = edit.refreshToken === maskSecret(stored.refreshToken);
  const refreshToken = keepsRefreshToken ? stored.refreshToken : unmasked('refreshToken', edit.refreshToken, undefined);
  const scopes = edit.scopes && edit.scopes.length > 0 ? edit.scopes : undefined;
  const next: Account = {
    type: 'oauth2',
    tokenUrl: edit.tokenUrl,
    clientId,
    ...(clientSecret === undefined ? {} : { clientSecret }),
    refreshToken,
    configuredRefreshToken: keepsRefreshToken ? stored.configuredRefreshToken : refreshToken,
    ...(scopes ? { scopes } : {}),
    ...(stored.proxy ? { proxy: stored.proxy } : {}),
  };
  const sameGrant =
    next.tokenUrl === stored.tokenUrl &&
    next.clientId === stored.clientId &&
    next.clientSecret === stored.clientSecret &&
    next.refreshToken === stored.refreshToken &&
    JSON.stringify(next.scopes ?? []) === JSON.stringify(stored.scopes ?? []);
  return sameGrant && stored.token ? { ...next, token: stored.token } : next;
}

/** The stored value when `value` is its mask; `value` itself unless it looks like a mask. */
function unmasked(field: keyof KeyAccount, value: string, stored: string | undefined): string {
  if (stored !== undefined && value === maskSecret(stored)) return stored;
  if (!value.includes(MASK_MARK)) return value;
  const path = `oauth2.${field}`;
  const message = `Type the whole ${FIELD_NAMES[field]} again: "…" stands for the saved one only when the masked value is sent back unchanged`;
  throw new GatewayError('invalid_request', message, { param: path, issues: [{ path, message }] });
}

const FIELD_NAMES: Record<keyof KeyAccount, string> = {
  tokenUrl: 'token URL',
  clientId: 'client id',
  clientSecret: 'client secret',
  refreshToken: 'refresh token',
  scopes: 'scopes',
};
