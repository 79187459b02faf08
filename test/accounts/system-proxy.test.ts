/**
 * The system proxy: HTTPS_PROXY / HTTP_PROXY / NO_PROXY read from the environment the gateway was
 * given, used for calls without an explicit proxy when settings.useSystemProxy is on (or unset
 * and the host's default is on, as in the desktop app). End to end through a real local CONNECT
 * proxy to a fake provider on a non-loopback address of this machine (loopback targets are never
 * proxied); the NO_PROXY rules as a table.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startHttpConnectProxy } from '../fixtures/fake-proxies.ts';
import { nonLoopbackAddress } from '../fixtures/lan-address.ts';
import { startGateway } from '../fixtures/gateway-harness.ts';
import { createSystemProxy, matchesNoProxy } from '../../src-proxy/upstream/system-proxy.ts';

describe('NO_PROXY matching', () => {
  it.each([
    [['example.com'], 'example.com', '443', true],
    [['example.com'], 'api.example.com', '443', true],
    [['example.com'], 'notexample.com', '443', false],
    [['.example.com'], 'api.example.com', '443', true],
    [['.example.com'], 'example.com', '443', false],
    [['*.example.com'], 'api.example.com', '443', true],
    [['example.com:8443'], 'example.com', '8443', true],
    [['example.com:8443'], 'example.com', '443', false],
    [['10.1.2.3'], '10.1.2.3', '80', true],
    [['*'], 'anything.net', '443', true],
    [['[::2]'], '[::2]', '443', true],
    [['API.Example.COM'], 'api.example.com', '443', true],
  ])('%j exempts %s:%s → %s', (entries, host, port, expected) => {
    expect(matchesNoProxy(entries, host, port)).toBe(expected);
  });

  it('chooses by the target scheme, lowercase forms first, never for loopback, and reports a bad URL without echoing it', () => {
    const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'http://plain:8080', NO_PROXY: 'internal.corp, .lan' };
    const system = createSystemProxy(env);
    expect(system.for('https://api.openai.com/v1')).toBe('http://lower:3128');
    expect(system.for('http://models.example.net/v1')).toBe('http://plain:8080');
    expect(system.for('https://internal.corp/v1')).toBeUndefined();
    expect(system.for('https://box.lan/v1')).toBeUndefined();
    for (const loopback of ['http://127.0.0.1:11434', 'http://localhost:1234/v1', 'http://[::1]:8000/v1']) expect(system.for(loopback)).toBeUndefined();
    // Only HTTP_PROXY set: https targets use it too.
    expect(createSystemProxy({ http_proxy: 'http://only:8080' }).for('https://api.anthropic.com')).toBe('http://only:8080');
    expect(createSystemProxy({}).for('https://api.anthropic.com')).toBeUndefined();
    const bad = createSystemProxy({ HTTPS_PROXY: 'ftp://sam:secret-pw@proxy:21' });
    expect(bad.for('https://api.openai.com')).toBeUndefined();
    expect(bad.problems).toEqual([expect.stringContaining('HTTPS_PROXY is ignored')]);
    expect(bad.problems.join()).not.toContain('secret-pw');
  });
});

describe('the system proxy, end to end', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setup(options: { env: Record<string, string>; useSystemProxy?: boolean | null; byDefault?: boolean }) {
    const upstream = await startFakeOpenAi({ host: nonLoopbackAddress() });
    const harness = await startGateway({
      env: options.env,
      systemProxyByDefault: options.byDefault,
      ...(options.useSystemProxy !== undefined ? { settings: { useSystemProxy: options.useSystemProxy } } : {}),
      providers: [{ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-system-proxied'] }],
      aliases: [{ alias: 'smart', targets: [{ provider: 'cloud', model: 'fake-large' }] }],
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    await harness.gateway.whenIdle();
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const lastAttempt = async () => {
      harness.gateway.flushHistory();
      return (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!.attempts.at(-1)!;
    };
    return { upstream, harness, client, lastAttempt };
  }

  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });

  it('goes through HTTP_PROXY when useSystemProxy is on, and the Test and history name it', async () => {
    const proxy = await startHttpConnectProxy();
    cleanups.push(() => proxy.close());
    const { client, upstream, harness, lastAttempt } = await setup({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'elsewhere.example' }, useSystemProxy: true });
    expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
    expect(proxy.tunnels.some((tunnel) => tunnel.target === `${new URL(upstream.baseUrl).host}` && tunnel.requestLines.includes('POST /v1/chat/completions'))).toBe(true);
    expect((await lastAttempt()).proxy).toBe(`http://127.0.0.1:${proxy.port}`);
    expect(await harness.gateway.control.testProvider({ providerId: 'cloud' })).toMatchObject({ ok: true, proxy: `http://127.0.0.1:${proxy.port}` });
  });

  it('follows the host default while the setting is unset: on (desktop app) proxies, off (serve) goes direct', async () => {
    const proxy = await startHttpConnectProxy();
    cleanups.push(() => proxy.close());
    const desktop = await setup({ env: { http_proxy: proxy.url }, byDefault: true });
    await ask(desktop.client);
    expect((await desktop.lastAttempt()).proxy).toBe(`http://127.0.0.1:${proxy.port}`);
    const tunnelsBefore = proxy.tunnels.length;
    const serve = await setup({ env: { http_proxy: proxy.url }, byDefault: false });
    expect((await ask(serve.client)).choices[0]!.message.content).toBe('Hello from fake');
    expect((await serve.lastAttempt()).proxy).toBeUndefined();
    expect(proxy.tunnels.length).toBe(tunnelsBefore);
    // Turned off explicitly, the desktop default does not apply either.
    const off = await setup({ env: { http_proxy: proxy.url }, byDefault: true, useSystemProxy: false });
    await ask(off.client);
    expect((await off.lastAttempt()).proxy).toBeUndefined();
    expect(proxy.tunnels.length).toBe(tunnelsBefore);
  });

  it('goes direct for a host NO_PROXY lists', async () => {
    const proxy = await startHttpConnectProxy();
    cleanups.push(() => proxy.close());
    const { client, lastAttempt } = await setup({ env: { HTTP_PROXY: proxy.url, NO_PROXY: `example.org, ${nonLoopbackAddress()}` }, useSystemProxy: true });
    expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
    expect((await lastAttempt()).proxy).toBeUndefined();
    expect(proxy.tunnels).toEqual([]);
  });
});
