import { describe, expect, it } from 'vitest';
import { isBrowserRequestAllowed } from '../../src-proxy/security/browser-policy.ts';
import { presentedToken } from '../../src-proxy/security/client-token.ts';
import { hasBody, isJsonContentType } from '../../src-proxy/security/content-type.ts';
import { allowedHosts, isAllowedHost } from '../../src-proxy/security/host-allowlist.ts';

describe('Host allow-list (DNS rebinding)', () => {
  const hosts = allowedHosts(4242);
  it.each(['127.0.0.1:4242', 'LOCALHOST:4242', 'localhost:4242', '[::1]:4242'])('allows %s', (host) => {
    expect(isAllowedHost(host, hosts)).toBe(true);
  });
  it.each([
    'evil.example:4242', '0.0.0.0:4242', 'localhost6:4242', '127.0.0.555:4242', '0177.0.0.1:4242', '2130706433:4242', '127.1:4242',
    'localhost.:4242', '[::ffff:7f00:1]:4242', '', '127.0.0.1:4243', '127.0.0.1', 'localhost', '[', ':::', 'x'.repeat(8000),
  ])('refuses %j', (host) => {
    expect(isAllowedHost(host, hosts)).toBe(false);
  });
  it('refuses a missing Host', () => expect(isAllowedHost(undefined, hosts)).toBe(false));
});

describe('browser policy', () => {
  const base = { allowedOrigins: ['https://trusted.example'], sameOrigin: null };
  it.each([
    [{ origin: undefined, secFetchSite: undefined }, true],
    [{ origin: 'https://evil.example', secFetchSite: undefined }, false],
    [{ origin: 'null', secFetchSite: undefined }, false],
    [{ origin: undefined, secFetchSite: 'cross-site' }, false],
    [{ origin: undefined, secFetchSite: 'same-site' }, false],
    [{ origin: undefined, secFetchSite: 'none' }, true],
    [{ origin: 'https://trusted.example', secFetchSite: 'cross-site' }, true],
  ])('%j → %s', (headers, allowed) => {
    expect(isBrowserRequestAllowed({ ...base, ...headers })).toBe(allowed);
  });
  it('lets the dashboard page call the control routes from its own origin only', () => {
    const control = { allowedOrigins: [], sameOrigin: 'http://127.0.0.1:4242' };
    expect(isBrowserRequestAllowed({ ...control, origin: 'http://127.0.0.1:4242', secFetchSite: 'same-origin' })).toBe(true);
    expect(isBrowserRequestAllowed({ ...control, origin: undefined, secFetchSite: 'same-origin' })).toBe(true);
    expect(isBrowserRequestAllowed({ ...control, origin: 'http://evil.example', secFetchSite: 'cross-site' })).toBe(false);
  });
});

describe('JSON-only bodies', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['APPLICATION/JSON', true],
    ['text/plain', false],
    ['text/plain; application/json', false],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    [undefined, false],
  ])('%s → %s', (value, ok) => expect(isJsonContentType(value)).toBe(ok));
  it('knows when a request has a body', () => {
    expect(hasBody({})).toBe(false);
    expect(hasBody({ 'content-length': '0' })).toBe(false);
    expect(hasBody({ 'content-length': '12' })).toBe(true);
    expect(hasBody({ 'transfer-encoding': 'chunked' })).toBe(true);
  });
});

describe('client token extraction', () => {
  it('reads Bearer and x-api-key', () => {
    expect(presentedToken({ authorization: 'Bearer sb-abc' })).toBe('sb-abc');
    expect(presentedToken({ authorization: 'bearer   sb-abc ' })).toBe('sb-abc');
    expect(presentedToken({ 'x-api-key': 'sb-xyz' })).toBe('sb-xyz');
    expect(presentedToken({ authorization: 'Basic abc' })).toBeNull();
    expect(presentedToken({})).toBeNull();
  });
});
