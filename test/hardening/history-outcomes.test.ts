/**
 * Finding 10 (second half): the history tells a client that left (client_closed, 499) apart from
 * an upstream that failed, and records a mid-stream failure with the in-band error the client
 * actually received.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { dropMidStream, slowStream, stallBeforeHeaders, startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { readStream } from '../fixtures/read-stream.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('history outcomes', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setup(): Promise<{ upstream: FakeOpenAi; harness: Harness }> {
    const upstream = await startFakeOpenAi();
    const harness = await startGateway({
      providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'up', model: 'x' }] }],
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    return { upstream, harness };
  }

  /** Sends a request and destroys the socket after `bytes` bytes of answer (0: before any). */
  function abandon(harness: Harness, path: string, body: unknown, headers: Record<string, string>, afterBytes: number, waitMs = 0): Promise<void> {
    return new Promise((resolve) => {
      const req = httpRequest(`${harness.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen >= afterBytes) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', () => resolve());
      req.end(JSON.stringify(body));
      if (afterBytes === 0) setTimeout(() => {
        req.destroy();
        resolve();
      }, waitMs);
    });
  }

  async function rowFor(harness: Harness, count = 1) {
    for (let i = 0; i < 100; i++) {
      harness.gateway.flushHistory();
      const rows = (await harness.gateway.control.queryHistory({ limit: 10 })).rows;
      if (rows.length >= count) return harness.gateway.control.getHistoryEntry({ id: rows[0]!.id });
      await sleep(20);
    }
    throw new Error('no history row');
  }

  const chatBody = { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] };
  const bearer = (harness: Harness) => ({ authorization: `Bearer ${harness.token}` });

  it.each([
    ['OpenAI fast path', '/v1/chat/completions', (h: Harness) => bearer(h), chatBody],
    ['Anthropic client, translated', '/v1/messages', (h: Harness) => ({ 'x-api-key': h.token, 'anthropic-version': '2023-06-01' }), { ...chatBody, max_tokens: 50 }],
    ['Ollama client, translated', '/api/chat', () => ({}), chatBody],
  ])('%s: a client that leaves mid-stream is recorded as client_closed (499), and the upstream is released', async (_label, path, headers, body) => {
    const { upstream, harness } = await setup();
    upstream.enqueue('/v1/chat/completions', slowStream(100, 30));
    await abandon(harness, path, body, headers(harness), 1);
    const row = await rowFor(harness);
    expect(row?.errorCode).toBe('client_closed');
    expect(row?.status).toBe(499);
    for (let i = 0; i < 100 && upstream.requests.at(-1)!.abortedAt === null; i++) await sleep(10);
    expect(upstream.requests.at(-1)!.abortedAt).not.toBeNull();
  });

  it('a client that leaves before the first byte is recorded as client_closed (499)', async () => {
    const { upstream, harness } = await setup();
    upstream.enqueue('/v1/chat/completions', stallBeforeHeaders(2_000));
    await abandon(harness, '/v1/chat/completions', chatBody, bearer(harness), 0, 150);
    const row = await rowFor(harness);
    expect(row?.errorCode).toBe('client_closed');
    expect(row?.status).toBe(499);
  });

  it.each([
    ['OpenAI fast path', '/v1/chat/completions', (h: Harness) => bearer(h), chatBody],
    ['Anthropic client, translated', '/v1/messages', (h: Harness) => ({ 'x-api-key': h.token, 'anthropic-version': '2023-06-01' }), { ...chatBody, max_tokens: 50 }],
    ['Ollama client, translated', '/api/chat', () => ({}), chatBody],
  ])('%s: an upstream that drops mid-stream is recorded with the in-band error the client read', async (_label, path, headers, body) => {
    const { upstream, harness } = await setup();
    upstream.enqueue('/v1/chat/completions', dropMidStream(2));
    const response = await fetch(`${harness.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers(harness) }, body: JSON.stringify(body) });
    const { text, cut } = await readStream(response);
    // After the in-band error the connection is cut, never ended as if the answer were whole.
    expect(cut).toBe(true);
    const row = await rowFor(harness);
    expect(row?.errorCode).toBe('upstream_disconnected');
    // The message the history keeps is exactly the one the client received in-band.
    expect(row?.errorMessage).toBeTruthy();
    expect(text).toContain(JSON.stringify(row!.errorMessage).slice(1, -1));
  });

  it('a complete answer is recorded without an error, even when the client closes right after the last byte', async () => {
    const { upstream, harness } = await setup();
    upstream.enqueue('/v1/chat/completions', textAnswer(['a', 'b']));
    const response = await fetch(`${harness.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(harness) }, body: JSON.stringify(chatBody) });
    expect(await response.text()).toContain('[DONE]');
    const row = await rowFor(harness);
    expect(row?.errorCode).toBeNull();
    expect(row?.status).toBe(200);
  });
});
