import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redirectAnswer, sleep, slowStream, stallBeforeHeaders, startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('faults: cancellation, timeouts, redirects, client-chosen upstreams', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let client: OpenAI;
  const chats = () => upstream.requests.filter((r) => r.path === '/v1/chat/completions');

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'fake', model: 'fake-model' }] }],
      settings: { timeouts: { connectMs: 500, firstByteMs: 400, idleMs: 300, totalMs: 5_000 }, pingIntervalMs: 100 },
    });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('aborts the upstream request when the client leaves mid-stream', async () => {
    upstream.enqueue('/v1/chat/completions', slowStream(100, 50));
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: controller.signal });
    let count = 0;
    const leftAt = await (async () => {
      for await (const _ of stream) {
        if (++count === 3) {
          controller.abort();
          return Date.now();
        }
      }
      return Date.now();
    })().catch(() => Date.now());
    // Unaborted, the stream would run 5 s (100 chunks, 50 ms apart, never idle): the upstream must be
    // cut well before that. The bound leaves room for a loaded CI machine.
    await expect.poll(() => chats()[0]!.abortedAt, { timeout: 3_000 }).not.toBeNull();
    expect(chats()[0]!.abortedAt! - leftAt).toBeLessThan(2_000);
  });

  it('aborts the upstream request when the client leaves before the first upstream byte', async () => {
    upstream.enqueue('/v1/chat/completions', stallBeforeHeaders(2_000));
    await harness.gateway.control.updateSettings({ timeouts: { firstByteMs: 5_000 } });
    const controller = new AbortController();
    const pending = client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal }).catch(() => null);
    // Leave once the provider holds the request (a fixed sleep could leave before it got there on a loaded machine).
    await expect.poll(() => chats().length, { timeout: 5_000 }).toBe(1);
    const leftAt = Date.now();
    controller.abort();
    await pending;
    // Unaborted, the upstream would answer after its 2 s stall and never see an abort (abortedAt stays null).
    await expect.poll(() => chats()[0]!.abortedAt, { timeout: 3_000 }).not.toBeNull();
    expect(chats()[0]!.abortedAt! - leftAt).toBeLessThan(2_000);
  });

  it('answers 504 when the provider sends nothing within the first-byte budget', async () => {
    upstream.enqueue('/v1/chat/completions', stallBeforeHeaders(2_000));
    const startedAt = Date.now();
    const error = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_timeout');
    expect(Date.now() - startedAt).toBeLessThan(1_500);
  });

  it('ends a stalled stream with an in-band error at the idle budget and keeps the client alive with pings before', async () => {
    upstream.enqueue('/v1/chat/completions', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'first' }, finish_reason: null }] })}\n\n`);
      await sleep(3_000);
      res.end();
    });
    const raw = await rawPost(harness, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(raw.body).toContain('first');
    expect(raw.body).toContain(': ping');
    expect(raw.body).toMatch(/"code":"upstream_idle_timeout"/);
    // The error is the last event and the connection is cut: no [DONE], no clean end.
    expect(raw.body.trim().endsWith('}')).toBe(true);
    expect(raw.body).not.toContain('[DONE]');
    expect(raw.cut).toBe(true);
  });

  it('never follows an upstream redirect, so the key cannot leave for another host', async () => {
    let canaryConnections = 0;
    const canary = createServer(() => canaryConnections++);
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    const canaryPort = (canary.address() as { port: number }).port;
    upstream.enqueue('/v1/chat/completions', redirectAnswer(`http://127.0.0.1:${canaryPort}/steal`));
    const error = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    await sleep(100);
    expect(canaryConnections).toBe(0);
    canary.close();
  });

  it('ignores upstream URLs and keys a client puts in the body', async () => {
    let canaryConnections = 0;
    const canary = createServer(() => canaryConnections++);
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    const canaryUrl = `http://127.0.0.1:${(canary.address() as { port: number }).port}`;
    upstream.enqueue('/v1/chat/completions', textAnswer());
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], api_base: canaryUrl, base_url: canaryUrl, api_key: 'sk-client-chosen' } as never);
    const seen = chats()[0]!;
    expect(seen.headers.authorization).toBe('Bearer sk-upstream');
    expect(seen.body).not.toHaveProperty('api_base');
    expect(seen.body).not.toHaveProperty('api_key');
    expect(canaryConnections).toBe(0);
    canary.close();
  });
});

/** A POST over node:http; `cut` says the answer ended without HTTP's clean end (after an in-band error). */
export function rawPost(harness: Harness, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string; cut: boolean; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    const req = httpRequest(
      { host: '127.0.0.1', port: harness.port, path, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}`, 'content-length': Buffer.byteLength(payload), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        const done = (cut: boolean) => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), cut, headers: res.headers });
        res.on('end', () => done(false));
        res.on('aborted', () => done(true));
        res.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? done(true) : reject(error)));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
