import { describe, expect, it } from 'vitest';
import { createGatewayRelay, isRelayablePath } from '../../src-main/gateway-relay.ts';

describe('the desktop window reaching its own gateway through main', () => {
  it.each([
    ['/v1/chat/completions', true],
    ['/v1/models', true],
    ['/v1/models/openrouter/anthropic/claude', true],
    ['/v1/messages/count_tokens', true],
    ['/api/version', true],
    ['/api/tags', true],
    ['/', true],
    ['/health', true],
    ['/_switchboard/api/exportConfig', false],
    ['/_switchboard/', false],
    ['/v1/../_switchboard/api/listProviders', false],
    ['http://evil.example/v1/models', false],
    ['//evil.example/v1/models', false],
    ['/api/show/../../x', false],
  ])('%s relayable: %s', (path, ok) => {
    expect(isRelayablePath(path)).toBe(ok);
  });

  it('calls loopback on the running port with only tool headers, adding no credential', async () => {
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    const relay = createGatewayRelay({
      port: () => 4321,
      request: async (url, init) => {
        calls.push({ url, headers: init.headers });
        return { status: 200, contentType: 'application/json', body: '{}' };
      },
    });
    await relay({ method: 'POST', path: '/v1/chat/completions', headers: { Authorization: 'Bearer sb-x', Cookie: 'c=1', Host: 'evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(calls).toEqual([{ url: 'http://127.0.0.1:4321/v1/chat/completions', headers: { authorization: 'Bearer sb-x', 'content-type': 'application/json' } }]);
  });

  it('refuses other paths and a stopped proxy with error codes', async () => {
    const relay = createGatewayRelay({ port: () => null, request: async () => ({ status: 200, contentType: null, body: '' }) });
    await expect(relay({ method: 'GET', path: '/_switchboard/api/listProviders' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(relay({ method: 'GET', path: '/v1/models' })).rejects.toMatchObject({ code: 'proxy_stopped' });
  });
});
