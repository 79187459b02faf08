/**
 * Team mode at the gateway (GatewayOptions.team; `serve` turns it on for a shared store): HTTPS
 * from a certificate made in the test, a client token on every gateway route (the Ollama lane
 * and `requireClientToken: false` included), Host names from `settings.publicHosts` with or
 * without a port, the page origin's scheme from a trusted proxy's X-Forwarded-Proto, and a
 * listener beyond loopback allowed only here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { SettingsPatch } from '../../src-proxy/domain/settings.ts';
import type { Gateway, GatewayOptions } from '../../src-proxy/gateway-types.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { makeTestCertificate, type TestCertificate } from '../fixtures/test-certificate.ts';

interface TeamInstance {
  gateway: Gateway;
  port: number;
  token: string;
}

const chatBody = JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] });

describe('team mode', () => {
  let upstream: FakeOpenAi;
  let certificate: TestCertificate;
  let tlsAgent: Agent;
  const started: Array<{ gateway: Gateway; dataDir: string }> = [];

  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    certificate = makeTestCertificate({ dns: ['switchboard.test', 'localhost'], ip: ['127.0.0.1'] });
    tlsAgent = new Agent({ connect: { ca: certificate.cert } });
  });
  afterAll(async () => {
    await tlsAgent.close();
    certificate.remove();
    await upstream.close();
  });
  afterEach(async () => {
    for (const { gateway, dataDir } of started.splice(0)) {
      await gateway.close({ drainTimeoutMs: 100 });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  async function startTeam(team: NonNullable<GatewayOptions['team']>, host = '127.0.0.1', settings: SettingsPatch = {}): Promise<TeamInstance> {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-team-'));
    const gateway = await createGateway({ dataDir, host, port: 0, team, logger: pino({ level: process.env.TEST_LOG ?? 'silent' }), keepListenerWhenStopped: true });
    started.push({ gateway, dataDir });
    await gateway.control.updateSettings({ publicHosts: ['switchboard.test'], requireClientToken: false, ...settings });
    await gateway.control.createProvider({ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl });
    await gateway.control.addKey({ providerId: 'fake', secret: 'sk-upstream' });
    await gateway.control.createAlias({ alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] });
    const { token } = await gateway.control.createClientToken({ name: 'alice' });
    const status = await gateway.start();
    return { gateway, port: status.port!, token };
  }

  function call(instance: TeamInstance, path: string, options: { scheme?: 'http' | 'https'; headers?: Record<string, string>; body?: string } = {}) {
    const scheme = options.scheme ?? 'https';
    return request(`${scheme}://127.0.0.1:${instance.port}${path}`, {
      method: options.body === undefined ? 'GET' : 'POST',
      headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      body: options.body,
      dispatcher: scheme === 'https' ? tlsAgent : undefined,
    });
  }

  it('serves HTTPS with the given certificate (and no plain HTTP on that port), and reports an https base URL', async () => {
    const instance = await startTeam({ tls: { cert: certificate.cert, key: certificate.key } });
    const health = await call(instance, '/health');
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toMatchObject({ service: 'switchboard' });
    expect(instance.gateway.status().baseUrl).toBe(`https://127.0.0.1:${instance.port}`);
    const answer = await call(instance, '/v1/chat/completions', { headers: { authorization: `Bearer ${instance.token}` }, body: chatBody });
    expect(answer.statusCode).toBe(200);
    expect(((await answer.body.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('Hello from fake');
    await expect(call(instance, '/health', { scheme: 'http' })).rejects.toThrow();
  });

  it('needs a client token on every gateway route, in each dialect’s error shape, whatever requireClientToken says', async () => {
    const instance = await startTeam({ tls: { cert: certificate.cert, key: certificate.key } });
    const openai = await call(instance, '/v1/chat/completions', { body: chatBody });
    expect(openai.statusCode).toBe(401);
    const openaiError = (await openai.body.json()) as { error: { code: string; message: string } };
    expect(openaiError.error.code).toBe('missing_client_token');
    expect(openaiError.error.message).toMatch(/team server needs a Switchboard client token on every route/);

    // The tokenless Ollama lane is closed; VS Code Copilot's keyless OpenAI chat too.
    const ollama = await call(instance, '/api/chat', { body: JSON.stringify({ model: 'coder', stream: false, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(ollama.statusCode).toBe(401);
    expect(((await ollama.body.json()) as { error: string }).error).toMatch(/client token/);
    const tags = await call(instance, '/api/tags');
    expect(tags.statusCode).toBe(401);
    await tags.body.dump();
    const copilot = await call(instance, '/v1/chat/completions', { headers: { 'user-agent': 'GitHubCopilotChat/0.30.0', authorization: 'Bearer ' }, body: chatBody });
    expect(copilot.statusCode).toBe(401);
    await copilot.body.dump();

    const anthropic = await call(instance, '/v1/messages', { headers: { 'x-api-key': 'sb-not-a-token' }, body: JSON.stringify({ model: 'coder', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(anthropic.statusCode).toBe(401);
    expect(await anthropic.body.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });

    const withToken = await call(instance, '/api/chat', { headers: { authorization: `Bearer ${instance.token}` }, body: JSON.stringify({ model: 'coder', stream: false, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(withToken.statusCode).toBe(200);
    expect(((await withToken.body.json()) as { message: { content: string } }).message.content).toBe('Hello from fake');
    // Health checks of a load balancer need none.
    expect((await call(instance, '/ready')).statusCode).toBe(200);
  });

  it('accepts the public names with or without a port, and refuses other names with what to do', async () => {
    const instance = await startTeam({});
    const models = (host: string) => call(instance, '/v1/models', { scheme: 'http', headers: { host, authorization: `Bearer ${instance.token}` } });
    for (const host of ['switchboard.test', 'switchboard.test:443', 'SWITCHBOARD.test:8443', `127.0.0.1:${instance.port}`, `localhost:${instance.port}`]) {
      const answer = await models(host);
      expect(answer.statusCode, host).toBe(200);
      await answer.body.dump();
    }
    for (const host of ['evil.test', 'switchboard.test.evil.test', 'switchboard.test:443:1', '127.0.0.1:1']) {
      const answer = await models(host);
      expect(answer.statusCode, host).toBe(403);
      const body = (await answer.body.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('forbidden_host');
      expect(body.error.message).toMatch(/settings\.publicHosts/);
    }
  });

  it('believes X-Forwarded-Proto only from a trusted proxy: the dashboard page behind a TLS load balancer is same-origin', async () => {
    const page = (instance: TeamInstance) =>
      call(instance, '/v1/models', {
        scheme: 'http',
        headers: { host: 'switchboard.test', origin: 'https://switchboard.test', 'sec-fetch-site': 'same-origin', 'x-forwarded-proto': 'https', authorization: `Bearer ${instance.token}` },
      });
    const trusting = await startTeam({ trustProxy: '127.0.0.1' });
    const trusted = await page(trusting);
    expect(trusted.statusCode).toBe(200);
    await trusted.body.dump();

    const untrusting = await startTeam({});
    const refused = await page(untrusting);
    expect(refused.statusCode).toBe(403);
    expect(((await refused.body.json()) as { error: { code: string } }).error.code).toBe('forbidden_origin');

    // The setting does the same when no flag overrides it (read when the server starts).
    const bySetting = await page(await startTeam({}, '127.0.0.1', { trustProxy: '127.0.0.1/8' }));
    expect(bySetting.statusCode).toBe(200);
    await bySetting.body.dump();
    // Without the proxy's word the scheme is the connection's own: an https page origin is refused.
    const direct = await call(trusting, '/v1/models', { scheme: 'http', headers: { host: 'switchboard.test', origin: 'https://switchboard.test', 'sec-fetch-site': 'same-origin', authorization: `Bearer ${trusting.token}` } });
    expect(direct.statusCode).toBe(403);
    await direct.body.dump();
  });

  it("records where each request came from: the peer, or the client a trusted proxy names; a refusal too", async () => {
    const send = async (instance: TeamInstance, headers: Record<string, string>) => {
      const answer = await call(instance, '/v1/chat/completions', { scheme: 'http', headers: { host: 'switchboard.test', ...headers }, body: chatBody });
      await answer.body.dump();
      return answer.statusCode;
    };
    const addresses = async (instance: TeamInstance) => {
      instance.gateway.flushHistory();
      const rows = (await instance.gateway.control.queryHistory({ limit: 10 })).rows;
      const details = await Promise.all(rows.map((row) => instance.gateway.control.getHistoryEntry({ id: row.id })));
      return details.map((detail) => [detail!.client, detail!.status, detail!.clientAddress]).reverse();
    };
    const trusting = await startTeam({ trustProxy: '127.0.0.1' });
    const forwarded = { authorization: `Bearer ${trusting.token}`, 'x-forwarded-for': '203.0.113.7' };
    expect(await send(trusting, forwarded)).toBe(200);
    expect(await send(trusting, { authorization: `Bearer ${trusting.token}` })).toBe(200);
    expect(await send(trusting, { 'x-forwarded-for': '198.51.100.9' })).toBe(401);
    expect(await addresses(trusting)).toEqual([['alice', 200, '203.0.113.7'], ['alice', 200, '127.0.0.1'], ['(unauthenticated)', 401, '198.51.100.9']]);
    // Searching History finds a machine's requests.
    expect((await trusting.gateway.control.queryHistory({ search: '203.0.113.7' })).rows).toHaveLength(1);

    // Without a trusted proxy the header is the client's own word: the peer is recorded.
    const untrusting = await startTeam({});
    expect(await send(untrusting, { authorization: `Bearer ${untrusting.token}`, 'x-forwarded-for': '203.0.113.7' })).toBe(200);
    expect(await addresses(untrusting)).toEqual([['alice', 200, '127.0.0.1']]);
  });

  it('listens beyond loopback only in team mode', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-team-'));
    try {
      await expect(createGateway({ dataDir, host: '0.0.0.0', port: 0, logger: pino({ level: 'silent' }) })).rejects.toThrow(/loopback only/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const instance = await startTeam({}, '0.0.0.0');
    const health = await call(instance, '/health', { scheme: 'http' });
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });
});
