import { connect } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

/** Sends one hand-written HTTP request (so Host, Origin and framing are exactly as written). */
function rawHttp(port: number, text: string): Promise<{ status: number; body: string; raw: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1] ?? 0);
      resolve({ status, body: raw.slice(raw.indexOf('\r\n\r\n') + 4), raw });
    });
    socket.write(text);
  });
}

function request(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string; http10?: boolean }) {
  const headers = { connection: 'close', ...options.headers };
  const body = options.body ?? '';
  const lines = [`${options.method ?? 'GET'} ${options.path ?? '/v1/models'} HTTP/${options.http10 ? '1.0' : '1.1'}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body) lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return rawHttp(port, `${lines.join('\r\n')}\r\n\r\n${body}`);
}

describe('security gate over real HTTP', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let host: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'fake', model: 'x' }] }],
      settings: { bodyLimitBytes: 64 * 1024 },
    });
    host = `127.0.0.1:${harness.port}`;
    auth = { host, authorization: `Bearer ${harness.token}` };
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(harness.gateway.status().host).toBe('127.0.0.1');
  });

  it.each([
    ['evil.example', 403],
    ['0.0.0.0', 403],
    ['localhost6', 403],
    ['127.0.0.555', 403],
    ['127.1', 403],
  ])('refuses Host %s (DNS rebinding) with an OpenAI-shaped 403', async (name, status) => {
    const res = await request(harness.port, { headers: { ...auth, host: `${name}:${harness.port}` } });
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body).error.code).toBe('forbidden_host');
  });

  it('refuses a rebound request even with a valid token and no Origin, and HTTP/1.0 without Host', async () => {
    expect((await request(harness.port, { headers: { authorization: `Bearer ${harness.token}`, host: `attacker.example:${harness.port}` } })).status).toBe(403);
    expect((await request(harness.port, { http10: true, headers: { authorization: `Bearer ${harness.token}` } })).status).toBe(403);
  });

  it('accepts localhost in any case', async () => {
    expect((await request(harness.port, { headers: { ...auth, host: `LOCALHOST:${harness.port}` } })).status).toBe(200);
  });

  it.each([
    [{ origin: 'https://evil.example' }, 403],
    [{ origin: 'null' }, 403],
    [{ 'sec-fetch-site': 'cross-site' }, 403],
    [{}, 200],
  ])('browser signals %j → %i even with a valid token', async (extra, status) => {
    expect((await request(harness.port, { headers: { ...auth, ...extra } })).status).toBe(status);
  });

  it('sends no CORS headers, also not to a preflight', async () => {
    const res = await request(harness.port, { method: 'OPTIONS', path: '/v1/chat/completions', headers: { host, origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' } });
    expect(res.raw.toLowerCase()).not.toContain('access-control-allow');
  });

  it.each([
    [undefined, 401, 'missing_client_token'],
    ['Bearer wrong-token-of-any-length', 401, 'invalid_client_token'],
    ['Bearer x', 401, 'invalid_client_token'],
  ])('token %s → %i %s', async (authorization, status, code) => {
    const res = await request(harness.port, { headers: { host, ...(authorization ? { authorization } : {}) } });
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body).error.code).toBe(code);
  });

  it("lets VS Code Copilot's Ollama provider chat without a key, but nobody else", async () => {
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const copilot = { host, authorization: 'Bearer ', 'user-agent': 'GitHubCopilotChat/0.32.0', 'content-type': 'application/json' };
    expect((await request(harness.port, { method: 'POST', path: '/v1/chat/completions', headers: copilot, body })).status).toBe(200);
    expect((await request(harness.port, { method: 'POST', path: '/v1/chat/completions', headers: { ...copilot, 'user-agent': 'curl/8' }, body })).status).toBe(401);
    expect((await request(harness.port, { method: 'POST', path: '/v1/chat/completions', headers: { ...copilot, authorization: 'Bearer wrong' }, body })).status).toBe(401);
    expect((await request(harness.port, { path: '/v1/models', headers: { host, 'user-agent': 'GitHubCopilotChat/0.32.0' } })).status).toBe(401);
  });

  it('accepts the token as x-api-key too', async () => {
    expect((await request(harness.port, { headers: { host, 'x-api-key': harness.token } })).status).toBe(200);
  });

  it('serves /health without a token but still behind the Host check', async () => {
    const ok = await request(harness.port, { path: '/health', headers: { host } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).status).toBe('ok');
    expect((await request(harness.port, { path: '/health', headers: { host: 'evil.example' } })).status).toBe(403);
  });

  it.each(['text/plain', 'text/plain; application/json', 'application/x-www-form-urlencoded'])('refuses POST bodies of type %s with 415', async (type) => {
    const res = await request(harness.port, { method: 'POST', path: '/v1/chat/completions', headers: { ...auth, 'content-type': type }, body: JSON.stringify({ model: 'm', messages: [] }) });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body).error.code).toBe('unsupported_media_type');
  });

  it('answers 400 for malformed JSON and for a body without messages', async () => {
    const bad = await request(harness.port, { method: 'POST', path: '/v1/chat/completions', headers: { ...auth, 'content-type': 'application/json' }, body: '{"model":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('invalid_json');
    const missing = await request(harness.port, { method: 'POST', path: '/v1/chat/completions', headers: { ...auth, 'content-type': 'application/json' }, body: '{"model":"m"}' });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).error.param).toBe('messages');
  });

  it('answers 404 in the OpenAI shape for unknown paths, after the gate', async () => {
    const res = await request(harness.port, { path: '/v1/nothing', headers: auth });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe('not_found');
  });

  it('gives an uploading SDK client a 413 it can read, and the upstream sees nothing', async () => {
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const before = upstream.requests.length;
    const error = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('body_too_large');
    expect(upstream.requests.length).toBe(before);
    // A body just under the limit still goes through.
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(60 * 1024) }] });
  });

  it('survives malformed Host and Origin headers', async () => {
    for (const value of ['[', ':::', 'x'.repeat(8000), 'http://[', '\u0001\u0002']) {
      const res = await request(harness.port, { headers: { host: value, origin: value } }).catch(() => ({ status: 400 }));
      expect([400, 403, 431]).toContain(res.status);
    }
    expect((await request(harness.port, { headers: auth })).status).toBe(200);
  });
});
