/**
 * HTTP/2 to providers (issue 18), end to end: the official SDKs through Switchboard to fake
 * providers served over TLS by node:http2 (a certificate made for the run, trusted through
 * upstreamCa), speaking the real OpenAI and Anthropic wire formats. A provider with `http2: true`
 * gets one multiplexed connection when the server offers h2; an h1-only TLS server, a provider
 * left at the default, and plain http stay on HTTP/1.1. A client's abort resets only its stream,
 * a GOAWAY or a lost connection mid-stream ends the answer with the usual in-band error.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import type { FakeTls } from '../fixtures/fake-http-server.ts';
import type { SettingsPatch } from '../../src-proxy/control/contract.ts';
import { errorAnswer, slowStream, sleep, stallBeforeHeaders, startFakeOpenAi, textAnswer, type FakeOpenAi, type Responder } from '../fixtures/fake-openai-upstream.ts';
import { startHttpConnectProxy, startSocks5Proxy } from '../fixtures/fake-proxies.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { streamedText } from '../fixtures/openai-stream-text.ts';
import { makeTestCertificate, type TestCertificate } from '../fixtures/test-certificate.ts';

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('HTTP/2 to providers', () => {
  let certificate: TestCertificate;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(() => {
    certificate = makeTestCertificate({ dns: ['localhost'], ip: ['127.0.0.1'] });
  });
  afterAll(() => certificate.remove());
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  const tls = (alpn: FakeTls['alpn']): FakeTls => ({ key: certificate.key, cert: certificate.cert, alpn });

  async function openAiSetup(options: { alpn?: FakeTls['alpn'] | 'plain'; http2?: boolean; proxy?: string; settings?: SettingsPatch } = {}) {
    const alpn = options.alpn ?? 'h2';
    const upstream = await startFakeOpenAi(alpn === 'plain' ? {} : { tls: tls(alpn) });
    const harness = await startGateway({
      upstreamCa: certificate.cert.toString('utf8'),
      providers: [{ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl, ...(options.http2 === false ? {} : { http2: true }), ...(options.proxy ? { proxy: options.proxy } : {}), keys: ['sk-h2-key'] }],
      aliases: [{ alias: 'smart', targets: [{ provider: 'cloud', model: 'fake-large' }] }],
      ...(options.settings ? { settings: options.settings } : {}),
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    await harness.gateway.whenIdle();
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    return { upstream, harness, client };
  }

  const chats = (upstream: FakeOpenAi) => upstream.requests.filter((request) => request.path === '/v1/chat/completions');
  /** The HTTP/2 session number each chat request came on (the fake records one per request, in order). */
  const chatSessions = (upstream: FakeOpenAi) => upstream.requests.flatMap((request, index) => (request.path === '/v1/chat/completions' ? [upstream.transport.requestSessions[index]!] : []));
  const ask = (client: OpenAI, content = 'hi') => client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content }] });

  async function lastRow(harness: Harness) {
    harness.gateway.flushHistory();
    return (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
  }

  /** The HTTP versions History recorded for the newest request's attempts. */
  const recordedProtocols = async (harness: Harness) => (await lastRow(harness)).attempts.map((attempt) => attempt.protocol);

  it('answers JSON, streams and a 64 KB+ request with the openai SDK over one HTTP/2 connection', async () => {
    const { upstream, harness, client } = await openAiSetup();
    const answer = await ask(client);
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    expect(await streamedText(client, 'smart')).toBe('Hello from fake');
    const long = 'lorem ipsum '.repeat(8_000);
    const big = await ask(client, long);
    expect(big.choices[0]!.message.content).toBe('Hello from fake');
    const sent = chats(upstream).at(-1)!.body!.messages as Array<{ content: string }>;
    expect(sent[0]!.content).toBe(long);
    expect(chats(upstream).at(-1)!.headers.authorization).toBe('Bearer sk-h2-key');
    // Discovery and the three chats: every request on HTTP/2; the chats, one after another, on one session.
    expect(new Set(upstream.transport.httpVersions)).toEqual(new Set(['2.0']));
    expect(new Set(chatSessions(upstream)).size).toBe(1);
    // History says which protocol the provider answered in.
    expect(await recordedProtocols(harness)).toEqual(['h2']);
  });

  it('runs 10 streams at once over ONE connection (each answers only once all 10 have arrived)', async () => {
    const { upstream, client } = await openAiSetup();
    await ask(client);
    let arrived = 0;
    const all = new Promise<void>((resolve) => {
      upstream.route = (record) => {
        if (record.path !== '/v1/chat/completions') return undefined;
        arrived += 1;
        if (arrived === 10) resolve();
        const barrier: Responder = async (req, res, body, rec) => {
          await all;
          await textAnswer(['stream', ' done'])(req, res, body, rec);
        };
        return barrier;
      };
    });
    const sessionsBefore = upstream.transport.sessions();
    const texts = await Promise.all(Array.from({ length: 10 }, () => streamedText(client, 'smart')));
    expect(texts).toEqual(Array.from({ length: 10 }, () => 'stream done'));
    expect(arrived).toBe(10);
    // The warm-up chat and all 10 streams on one session; no connection opened for them.
    expect(new Set(chatSessions(upstream))).toEqual(new Set([chatSessions(upstream)[0]]));
    expect(chatSessions(upstream)[0]).toBeGreaterThan(0);
    expect(upstream.transport.sessions()).toBe(sessionsBefore);
  });

  it("resets only the aborted stream when the client goes away mid-stream; the connection carries the next request", async () => {
    const { upstream, client } = await openAiSetup();
    await ask(client);
    upstream.enqueue('/v1/chat/completions', slowStream(200, 30));
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'long' }], stream: true }, { signal: controller.signal });
    let chunks = 0;
    // The SDK ends the iteration (or throws) on the abort; either way the client is gone.
    await (async () => {
      for await (const _chunk of stream) {
        if (++chunks === 3) {
          controller.abort();
          break;
        }
      }
    })().catch(() => undefined);
        await until(() => upstream.transport.streamResets() >= 1, 'the upstream stream reset');
    await until(() => chats(upstream).at(-1)!.abortedAt !== null, 'the fake to see the abort');
    const sessionsBefore = upstream.transport.sessions();
    expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
    // The aborted stream's session carries the next chat: only the stream was reset, not the connection.
    const [warm, aborted, next] = chatSessions(upstream);
    expect(aborted).toBe(warm);
    expect(next).toBe(aborted);
    expect(upstream.transport.sessions()).toBe(sessionsBefore);
  });

  it("passes the provider's 4xx JSON error through with its status, code and message", async () => {
    const { upstream, harness, client } = await openAiSetup();
    upstream.enqueue('/v1/chat/completions', errorAnswer(400, 'the prompt is too long for this model', {}, 'context_length_exceeded'));
    const failure = await ask(client).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/the prompt is too long for this model/);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
    expect(upstream.transport.httpVersions.at(-1)).toBe('2.0');
    // A refused attempt got an answer too: its protocol is recorded with its status.
    expect((await lastRow(harness)).attempts).toEqual([expect.objectContaining({ status: 400, protocol: 'h2' })]);
  });

  it('keeps the first-byte and idle budgets: 504 upstream_timeout, and an in-band upstream_idle_timeout mid-stream, on a connection that carries on', async () => {
    const { upstream, harness, client } = await openAiSetup({ settings: { timeouts: { connectMs: 2_000, firstByteMs: 400, idleMs: 300, totalMs: 10_000 } } });
    upstream.enqueue('/v1/chat/completions', stallBeforeHeaders(2_000));
    const timedOut = await ask(client).catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(OpenAI.APIError);
    expect((timedOut as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((timedOut as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_timeout');
    upstream.enqueue('/v1/chat/completions', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'first' }, finish_reason: null }] })}\n\n`);
      await sleep(2_000);
      res.end();
    });
    const received: string[] = [];
    const stalled = await (async () => {
      const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);
    expect(received).toEqual(['first']);
    expect(stalled).toBeInstanceOf(Error);
    expect((await lastRow(harness)).errorCode).toBe('upstream_idle_timeout');
    expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
    const [first, second, third] = chatSessions(upstream);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  for (const end of ['goAway', 'dropSessions'] as const) {
    it(`ends a stream cut by ${end === 'goAway' ? 'a GOAWAY' : 'a lost connection'} with an in-band error (upstream_disconnected), then opens a new connection`, async () => {
      const { upstream, harness, client } = await openAiSetup();
      upstream.enqueue('/v1/chat/completions', slowStream(200, 30));
      const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'long' }], stream: true });
      const received: string[] = [];
      const failure = await (async () => {
        for await (const chunk of stream) {
          received.push(chunk.choices[0]?.delta.content ?? '');
          if (received.length === 3) upstream.transport[end]();
        }
      })().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(received.length).toBeGreaterThanOrEqual(3);
      expect((await lastRow(harness)).errorCode).toBe('upstream_disconnected');
      expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
      const [cut, next] = chatSessions(upstream);
      expect(next).toBeGreaterThan(cut!);
    });
  }

  it('falls back to HTTP/1.1 against a TLS server that offers only http/1.1, one request per connection', async () => {
    const { upstream, harness, client } = await openAiSetup({ alpn: 'http/1.1' });
    await ask(client);
    expect(await recordedProtocols(harness)).toEqual(['http/1.1']);
    let arrived = 0;
    const all = new Promise<void>((resolve) => {
      upstream.route = (record) => {
        if (record.path !== '/v1/chat/completions') return undefined;
        if (++arrived === 3) resolve();
        return async (req, res, body, rec) => {
          await all;
          await textAnswer()(req, res, body, rec);
        };
      };
    });
    expect(await Promise.all([1, 2, 3].map(() => streamedText(client, 'smart')))).toEqual(['Hello from fake', 'Hello from fake', 'Hello from fake']);
    expect(new Set(upstream.transport.httpVersions)).toEqual(new Set(['1.1']));
    // Never pipelined: three requests at once took (at least) three connections.
    expect(upstream.transport.connections()).toBeGreaterThanOrEqual(3);
  });

  it('stays on HTTP/1.1 for a provider left at the default, even when its server offers h2', async () => {
    const { upstream, harness, client } = await openAiSetup({ alpn: 'h2+http/1.1', http2: false });
    expect(await streamedText(client, 'smart')).toBe('Hello from fake');
    expect(new Set(upstream.transport.httpVersions)).toEqual(new Set(['1.1']));
    expect(upstream.transport.sessions()).toBe(0);
    expect((await harness.gateway.control.listProviders())[0]!.http2).toBe(false);
    expect(await recordedProtocols(harness)).toEqual(['http/1.1']);
  });

  it('stays on HTTP/1.1 for a plain-http provider with http2 on (no h2c)', async () => {
    const { upstream, harness, client } = await openAiSetup({ alpn: 'plain' });
    expect(await streamedText(client, 'smart')).toBe('Hello from fake');
    expect(new Set(upstream.transport.httpVersions)).toEqual(new Set(['1.1']));
    expect(await recordedProtocols(harness)).toEqual(['http/1.1']);
  });

  for (const kind of ['http', 'socks5'] as const) {
    it(`speaks HTTP/2 inside a ${kind === 'http' ? 'CONNECT' : 'SOCKS5'} tunnel of an outbound proxy`, async () => {
      const proxy = kind === 'http' ? await startHttpConnectProxy() : await startSocks5Proxy();
      cleanups.push(() => proxy.close());
      const { upstream, harness, client } = await openAiSetup({ proxy: proxy.url });
      expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
      expect(await streamedText(client, 'smart')).toBe('Hello from fake');
      expect(new Set(upstream.transport.httpVersions)).toEqual(new Set(['2.0']));
      expect((await lastRow(harness)).attempts).toEqual([expect.objectContaining({ proxy: expect.stringContaining('127.0.0.1'), protocol: 'h2' })]);
      expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1);
      expect(upstream.transport.sessions()).toBe(proxy.tunnels.length);
    });
  }

  it('records each attempt\'s protocol: an h2 provider\'s 503, then an HTTP/1.1 fallback; none for a provider never reached', async () => {
    const h2 = await startFakeOpenAi({ tls: tls('h2') });
    const h1 = await startFakeOpenAi({ tls: tls('http/1.1') });
    const closed = await startFakeOpenAi();
    const closedUrl = closed.baseUrl;
    await closed.close();
    const harness = await startGateway({
      upstreamCa: certificate.cert.toString('utf8'),
      providers: [
        { id: 'gone', kind: 'openai', baseUrl: closedUrl, http2: true, keys: ['sk-gone'] },
        { id: 'busy', kind: 'openai', baseUrl: h2.baseUrl, http2: true, keys: ['sk-busy'] },
        { id: 'old', kind: 'openai', baseUrl: h1.baseUrl, http2: true, keys: ['sk-old'] },
      ],
      aliases: [{ alias: 'chain', targets: [{ provider: 'gone', model: 'fake-large' }, { provider: 'busy', model: 'fake-large' }, { provider: 'old', model: 'fake-large' }] }],
    });
    cleanups.push(() => h2.close(), () => h1.close(), () => harness.close());
    await harness.gateway.whenIdle();
    h2.enqueue('/v1/chat/completions', errorAnswer(503, 'overloaded', {}, 'overloaded'));
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'chain', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    const row = await lastRow(harness);
    expect(row.attempts.map(({ provider, status, protocol }) => ({ provider, status, protocol }))).toEqual([
      { provider: 'gone', status: 502, protocol: undefined },
      { provider: 'busy', status: 503, protocol: 'h2' },
      { provider: 'old', status: 200, protocol: 'http/1.1' },
    ]);
    // The detail the dashboard reads carries them as recorded.
    const detail = await harness.gateway.control.getHistoryEntry({ id: row.id });
    expect(detail?.attempts.map((attempt) => attempt.protocol)).toEqual([undefined, 'h2', 'http/1.1']);
  });

  it('answers the anthropic SDK (JSON and stream) over HTTP/2 against a server offering h2 and http/1.1', async () => {
    const upstream = await startFakeAnthropic({ tls: tls('h2+http/1.1') });
    const harness = await startGateway({
      upstreamCa: certificate.cert.toString('utf8'),
      providers: [{ id: 'claude', kind: 'anthropic', baseUrl: upstream.baseUrl, http2: true, keys: ['sk-ant-h2'] }],
      aliases: [{ alias: 'sonnet', targets: [{ provider: 'claude', model: 'claude-fake-1' }] }],
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    await harness.gateway.whenIdle();
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const message = await client.messages.create({ model: 'sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Claude' }]);
    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['streamed', ' over', ' h2'] }] }));
    let text = '';
    const stream = client.messages.stream({ model: 'sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    stream.on('text', (delta) => (text += delta));
    await stream.finalMessage();
    expect(text).toBe('streamed over h2');
    expect(new Set(upstream.transport.httpVersions)).toEqual(new Set(['2.0']));
    const messageSessions = upstream.requests.flatMap((request, index) => (request.path === '/v1/messages' ? [upstream.transport.requestSessions[index]!] : []));
    expect(messageSessions).toHaveLength(2);
    expect(messageSessions[1]).toBe(messageSessions[0]);
  });
});
