import { describe, expect, it } from 'vitest';
import type { KeyInfo } from '../../src-proxy/control/contract.ts';
import { firstSentence, keyStateOf } from '../../src-renderer/pages/providers/key-state';
import { accountOf } from '../../src-renderer/pages/providers/OAuthAccountFields';
import { maskedUrlProblem, proxyInputOf, proxyPatchOf, proxySettingOf, systemProxyOn } from '../../src-renderer/pages/providers/proxy-setting';

const NOW = 1_800_000_000_000;
const key = (changes: Partial<KeyInfo>): KeyInfo => ({
  id: 1, providerId: 'p', label: 'k', masked: 'sk-…1234', enabled: true, lastError: null, lastUsedAt: null, cooldownUntil: null,
  createdAt: 0, managedBy: null, type: 'key', proxy: null, ...changes,
});
const REFUSED = 'oauth_refresh_failed: the token server 127.0.0.1:9 answered 400: invalid_grant: Token has been expired or revoked. Switchboard could not refresh the OAuth account\'s access token.';

describe('a key row\'s state', () => {
  it.each([
    ['a plain key', key({}), 'ok', 'ok', null],
    ['a resting key with the error that rested it', key({ cooldownUntil: NOW + 60_000, lastError: REFUSED, type: 'oauth2' }), 'warn', 'resting until', 'oauth_refresh_failed: the token server 127.0.0.1:9 answered 400: invalid_grant: Token has been expired or revoked.'],
    ['a rest that is over (its old error not current)', key({ cooldownUntil: NOW - 1, lastError: '429 rate limited' }), 'ok', 'ok', null],
    ['a current error', key({ lastError: 'upstream_auth_failed: the provider refused the key. Replace it.' }), 'bad', 'error', 'upstream_auth_failed: the provider refused the key.'],
    ['an account without a token yet', key({ type: 'oauth2', account: { hasToken: false, tokenExpiresAt: null } }), 'ok', 'no token yet', null],
    ['an account with a valid token', key({ type: 'oauth2', account: { hasToken: true, tokenExpiresAt: NOW + 3_600_000 } }), 'ok', 'token valid until', null],
    ['an account whose token lapsed', key({ type: 'oauth2', account: { hasToken: true, tokenExpiresAt: NOW - 1 } }), 'ok', 'token expired', null],
  ])('%s', (_name, info, tone, text, error) => {
    const state = keyStateOf(info, NOW);
    expect(state.tone).toBe(tone);
    expect(state.text).toContain(text);
    expect(state.error).toBe(error);
  });

  it('keeps the first sentence of a message whose host names have dots', () => {
    expect(firstSentence('the proxy http://10.0.0.1:3128 refused. Fix it.')).toBe('the proxy http://10.0.0.1:3128 refused.');
    expect(firstSentence('no sentence end')).toBe('no sentence end');
  });
});

describe('a provider\'s outbound proxy in the form', () => {
  it('reads the provider\'s setting and writes the patch for each choice', () => {
    expect(proxySettingOf({ proxy: 'http://a:•••@p:1', proxyPool: [] })).toEqual({ mode: 'url', url: 'http://a:•••@p:1', pool: [] });
    expect(proxySettingOf({ proxy: null, proxyPool: ['x', 'y'] })).toEqual({ mode: 'pool', url: '', pool: ['x', 'y'] });
    expect(proxyPatchOf({ mode: 'none', url: 'http://old:1', pool: ['x'] })).toEqual({ proxy: null, proxyPool: [] });
    expect(proxyPatchOf({ mode: 'pool', url: 'http://old:1', pool: ['x'] })).toEqual({ proxy: null, proxyPool: ['x'] });
    expect(proxyInputOf({ mode: 'url', url: ' socks5://p:1080 ', pool: [] })).toEqual({ proxy: 'socks5://p:1080' });
    expect(proxyInputOf({ mode: 'none', url: '', pool: [] })).toEqual({});
  });

  it('accepts the mask only sent back whole (else the dots would become the password)', () => {
    expect(maskedUrlProblem('http://a:•••@p:1', 'http://a:•••@p:1')).toBeNull();
    expect(maskedUrlProblem('http://a:•••@other:1', 'http://a:•••@p:1')).toContain('Type the password again');
    expect(maskedUrlProblem('http://a:secret@other:1', 'http://a:•••@p:1')).toBeNull();
  });

  it('follows the host default for the system proxy while the setting is unset', () => {
    expect([systemProxyOn(null, 'desktop'), systemProxyOn(null, 'serve'), systemProxyOn(true, 'serve'), systemProxyOn(false, 'desktop')]).toEqual([true, false, true, false]);
  });
});

describe('an OAuth account typed in', () => {
  it('is nothing until its required fields are filled, then addKey\'s oauth2 with scopes split', () => {
    const empty = { tokenUrl: '', clientId: '', clientSecret: '', refreshToken: '', scopes: '' };
    expect(accountOf({ ...empty, tokenUrl: 'https://t/token', clientId: 'c' })).toBeNull();
    expect(accountOf({ tokenUrl: ' https://t/token ', clientId: 'c', clientSecret: '', refreshToken: 'rt', scopes: 'a b,c' }))
      .toEqual({ tokenUrl: 'https://t/token', clientId: 'c', refreshToken: 'rt', scopes: ['a', 'b', 'c'] });
  });
});
