/**
 * An https:// outbound proxy: a real CONNECT proxy that itself listens with TLS under a
 * certificate made for this test, trusted through settings.proxyCa. The official openai SDK goes
 * through Switchboard and the proxy's tunnel (stream and non-stream); wrong credentials are
 * proxy_auth_failed naming the proxy, and no password reaches history, errors or the control API.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startHttpConnectProxy, type FakeProxy } from '../fixtures/fake-proxies.ts';
import { startGateway, type HarnessKey } from '../fixtures/gateway-harness.ts';
import { makeTestCertificate } from '../fixtures/test-certificate.ts';
import { streamedText } from '../fixtures/openai-stream-text.ts';

const PASSWORD = 'tls-pr0xy-secret';
const credentials = { user: 'carol', password: PASSWORD };

describe('https:// outbound proxy with a private CA', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function tlsProxy(): Promise<{ proxy: FakeProxy; ca: string }> {
    const certificate = makeTestCertificate({ dns: ['localhost'], ip: ['127.0.0.1'] });
    cleanups.push(() => certificate.remove());
    const proxy = await startHttpConnectProxy(credentials, { cert: certificate.cert, key: certificate.key });
    cleanups.push(() => proxy.close());
    expect(proxy.url).toBe(`https://carol:${PASSWORD}@127.0.0.1:${proxy.port}`);
    return { proxy, ca: certificate.cert.toString('utf8') };
  }

  async function setup(options: { ca: string | null; providerProxy?: string; keys?: HarnessKey[] }) {
    const upstream = await startFakeOpenAi();
    const harness = await startGateway({
      providers: [{ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl, ...(options.providerProxy ? { proxy: options.providerProxy } : {}), keys: options.keys ?? ['sk-behind-tls-proxy'] }],
      aliases: [{ alias: 'smart', targets: [{ provider: 'cloud', model: 'fake-large' }] }],
      ...(options.ca ? { settings: { proxyCa: options.ca } } : {}),
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    await harness.gateway.whenIdle();
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    return { upstream, harness, client };
  }

  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });

  it('the openai SDK, stream and non-stream, goes through the TLS proxy tunnel with its credentials', async () => {
    const { proxy, ca } = await tlsProxy();
    const { upstream, client, harness } = await setup({ ca, providerProxy: proxy.url });
    const answer = await ask(client);
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    expect(await streamedText(client, 'smart')).toBe('Hello from fake');
    // The chats reached the upstream, and every tunnel the proxy opened went there with the credentials.
    expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(2);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    const basic = `Basic ${Buffer.from(`carol:${PASSWORD}`).toString('base64')}`;
    expect(proxy.tunnels.every((tunnel) => tunnel.target === `127.0.0.1:${upstream.port}` && tunnel.accepted && tunnel.credentials === basic)).toBe(true);
    const tested = await harness.gateway.control.testProvider({ providerId: 'cloud' });
    expect(tested).toMatchObject({ ok: true, proxy: `https://127.0.0.1:${proxy.port}` });
    harness.gateway.flushHistory();
    const rows = (await harness.gateway.control.queryHistory({ limit: 10 })).rows;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify([rows, tested, await harness.gateway.control.listProviders()])).not.toContain(PASSWORD);
  });

  it('without the CA: proxy_tls_untrusted naming the proxy and saying to add its CA, in the OpenAI and Anthropic shapes; nothing passes', async () => {
    const { proxy } = await tlsProxy();
    const { upstream, client, harness } = await setup({ ca: null, providerProxy: proxy.url });
    const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(502);
    expect(error.error).toMatchObject({ code: 'proxy_tls_untrusted' });
    expect(error.message).toContain(`https://127.0.0.1:${proxy.port}`);
    expect(error.message).toContain("add the proxy's CA in Settings → Proxies (proxyCa)");
    const anthropic = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const refused = (await anthropic.messages.create({ model: 'smart', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(refused).toBeInstanceOf(Anthropic.APIError);
    expect(refused.status).toBe(502);
    expect(refused.error).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('proxyCa') } });
    expect((refused.error as { error: { message: string } }).error.message).toContain(`https://127.0.0.1:${proxy.port}`);
    expect(JSON.stringify([error.error, error.message, refused.error])).not.toContain(PASSWORD);
    expect(proxy.tunnels).toHaveLength(0);
    expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
    harness.gateway.flushHistory();
    const rows = (await harness.gateway.control.queryHistory({ limit: 2 })).rows;
    expect(rows.map((row) => row.attempts.at(-1)?.errorCode)).toEqual(['proxy_tls_untrusted', 'proxy_tls_untrusted']);
  });

  it('wrong credentials → proxy_auth_failed naming the proxy, never a password', async () => {
    const { proxy, ca } = await tlsProxy();
    const wrong = proxy.url.replace(PASSWORD, 'not-the-pa55word');
    const { client, harness } = await setup({ ca, keys: [{ secret: 'sk-behind-tls-proxy', proxy: wrong }] });
    const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(502);
    expect(JSON.stringify(error.error)).toContain('proxy_auth_failed');
    expect(error.message).toContain(`https://127.0.0.1:${proxy.port}`);
    expect(proxy.tunnels.some((tunnel) => !tunnel.accepted)).toBe(true);
    harness.gateway.flushHistory();
    const row = (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
    expect(row.attempts.at(-1)!.errorCode).toBe('proxy_auth_failed');
    const everything = JSON.stringify([error.error, error.message, row, await harness.gateway.control.listProviders()]);
    expect(everything).not.toContain('not-the-pa55word');
    expect(everything).not.toContain(PASSWORD);
  });

  it('settings.proxyCa refuses text that is not PEM certificates', async () => {
    const { harness } = await setup({ ca: null });
    await expect(harness.gateway.control.updateSettings({ proxyCa: 'not a certificate' })).rejects.toThrow(/PEM/);
    // Looks like PEM but is no certificate: refused when saved (at the field), not at the next handshake.
    const broken = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----';
    await expect(harness.gateway.control.updateSettings({ proxyCa: broken })).rejects.toMatchObject({ code: 'invalid_request', param: 'proxyCa', message: expect.stringContaining('certificate 1 of 1 cannot be read') });
    await expect(harness.gateway.control.describeCertificates({ pem: broken })).rejects.toMatchObject({ code: 'invalid_request', param: 'pem' });
    expect((await harness.gateway.control.getSettings()).proxyCa).toBeNull();
  });

  it('describes the saved CA: subject, issuer, validity, whether it is a CA', async () => {
    const { ca } = await tlsProxy();
    const { harness } = await setup({ ca });
    const saved = (await harness.gateway.control.getSettings()).proxyCa!;
    const [certificate, ...more] = await harness.gateway.control.describeCertificates({ pem: saved });
    expect(more).toEqual([]);
    expect(certificate).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=localhost', expired: false, ca: true, fingerprint256: expect.stringMatching(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/) });
    expect(certificate!.validTo).toBeGreaterThan(Date.now());
    expect(certificate!.validFrom).toBeLessThanOrEqual(Date.now() + 60_000);
  });
});
