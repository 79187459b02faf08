/**
 * Outbound proxies, end to end: the official SDKs through Switchboard, through a real local HTTP
 * CONNECT proxy or SOCKS5 proxy (with and without credentials), to fake upstreams speaking their
 * real wire formats. The proxy records each tunnel, so the tests prove the call went through it,
 * that a client's abort closes the tunnel and the upstream request, and that a refused or
 * unreachable proxy is its own error naming the proxy — never its password.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { slowStream, startFakeOpenAi, toolCallAnswer } from '../fixtures/fake-openai-upstream.ts';
import { messageAnswer, startFakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { refusingPort, startHttpConnectProxy, startSocks5Proxy, type FakeProxy } from '../fixtures/fake-proxies.ts';
import { startGateway, type Harness, type HarnessKey } from '../fixtures/gateway-harness.ts';
import { streamedText } from '../fixtures/openai-stream-text.ts';

const PASSWORD = 'pr0xy-pass-word';
const credentials = { user: 'alice', password: PASSWORD };

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('outbound proxies', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setup(options: { providerProxy?: string; keys?: HarnessKey[] }) {
    const upstream = await startFakeOpenAi();
    const harness = await startGateway({
      providers: [{ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl, ...(options.providerProxy ? { proxy: options.providerProxy } : {}), keys: options.keys ?? ['sk-proxied-key'] }],
      aliases: [{ alias: 'smart', targets: [{ provider: 'cloud', model: 'fake-large' }] }],
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    await harness.gateway.whenIdle();
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    return { upstream, harness, client };
  }

  async function proxy(kind: 'http' | 'socks5', withCredentials: boolean): Promise<FakeProxy> {
    const started = kind === 'http' ? await startHttpConnectProxy(withCredentials ? credentials : undefined) : await startSocks5Proxy(withCredentials ? credentials : undefined);
    cleanups.push(() => started.close());
    return started;
  }

  async function lastRow(harness: Harness) {
    harness.gateway.flushHistory();
    return (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
  }

  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });

  for (const kind of ['http', 'socks5'] as const) {
    for (const withCredentials of [false, true]) {
      it(`${kind} proxy ${withCredentials ? 'with' : 'without'} credentials: stream, non-stream and a tool round go through its tunnel`, async () => {
        const through = await proxy(kind, withCredentials);
        const { upstream, client, harness } = await setup({ providerProxy: through.url });
        const answer = await ask(client);
        expect(answer.choices[0]!.message.content).toBe('Hello from fake');
        expect(await streamedText(client, 'smart')).toBe('Hello from fake');
        upstream.enqueue('/v1/chat/completions', toolCallAnswer([{ id: 'call_1', name: 'get_weather', fragments: ['{"city":', '"Paris"}'] }]));
        const tools: OpenAI.Chat.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
        const call = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'weather?' }], tools });
        const toolCall = call.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
        expect(JSON.parse(toolCall.function.arguments)).toEqual({ city: 'Paris' });
        const back = await client.chat.completions.create({
          model: 'smart',
          tools,
          messages: [{ role: 'user', content: 'weather?' }, call.choices[0]!.message, { role: 'tool', tool_call_id: toolCall.id, content: '{"temp":21}' }],
        });
        expect(back.choices[0]!.message.content).toBe('Hello from fake');
        // Every upstream call (discovery included) went through the proxy's tunnel to the upstream.
        const target = `127.0.0.1:${upstream.port}`;
        expect(through.tunnels.length).toBeGreaterThan(0);
        expect(through.tunnels.every((tunnel) => tunnel.target === target && tunnel.accepted)).toBe(true);
        if (withCredentials) expect(through.tunnels[0]!.credentials).toBe(kind === 'http' ? `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}` : `alice:${PASSWORD}`);
        else expect(through.tunnels[0]!.credentials).toBeNull();
        // Keep-alive through the tunnel: far fewer tunnels than calls.
        expect(through.tunnels.length).toBeLessThan(upstream.requests.length);
        const tested = await harness.gateway.control.testProvider({ providerId: 'cloud' });
        expect(tested).toMatchObject({ ok: true, proxy: `${kind}://127.0.0.1:${through.port}` });
        expect(tested.message).toContain(`through the proxy ${kind}://127.0.0.1:${through.port}`);
        const listed = JSON.stringify(await harness.gateway.control.listProviders());
        expect(listed).not.toContain(PASSWORD);
        if (withCredentials) expect((await harness.gateway.control.listProviders())[0]!.proxy).toBe(`${kind}://alice:•••@127.0.0.1:${through.port}`);
      });

      it(`${kind} proxy ${withCredentials ? 'with' : 'without'} credentials: a client abort closes the tunnel and the upstream request`, async () => {
        const through = await proxy(kind, withCredentials);
        const { upstream, harness } = await setup({ providerProxy: through.url });
        upstream.enqueue('/v1/chat/completions', slowStream(200, 50));
        const controller = new AbortController();
        const response = await fetch(`${harness.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${harness.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'smart', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
          signal: controller.signal,
        });
        const reader = response.body!.getReader();
        await reader.read();
        // The chat's tunnel is one of those open now (an idle keep-alive one may be open too).
        const openBefore = through.tunnels.filter((tunnel) => tunnel.closedAt === null);
        expect(openBefore.length).toBeGreaterThan(0);
        controller.abort();
        const chat = () => upstream.requests.find((r) => r.path === '/v1/chat/completions');
        await until(() => chat()?.abortedAt != null, 'the upstream request to be aborted');
        await until(() => openBefore.some((tunnel) => tunnel.closedAt !== null), 'the proxy tunnel to close');
      });
    }

    it(`${kind} proxy refusing the credentials → proxy_auth_failed naming the proxy, no password anywhere`, async () => {
      const through = await proxy(kind, true);
      const wrong = through.url.replace(PASSWORD, 'wrong-password-1');
      const { client, harness } = await setup({ keys: [{ secret: 'sk-proxied-key', proxy: wrong }] });
      const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(502);
      expect(JSON.stringify(error.error)).toContain('proxy_auth_failed');
      expect(error.message).toContain(`${kind}://127.0.0.1:${through.port}`);
      const row = await lastRow(harness);
      expect(row.attempts.at(-1)!.errorCode).toBe('proxy_auth_failed');
      const everything = JSON.stringify([error.error, error.message, row, await harness.gateway.control.listProviders(), await harness.gateway.control.testProvider({ providerId: 'cloud' })]);
      expect(everything).not.toContain('wrong-password-1');
      expect(everything).not.toContain(PASSWORD);
    });

    it(`${kind} proxy that refuses connections → proxy_unreachable naming it`, async () => {
      const port = await refusingPort();
      const { client, harness } = await setup({ providerProxy: `${kind}://bob:${PASSWORD}@127.0.0.1:${port}` });
      const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(JSON.stringify(error.error)).toContain('proxy_unreachable');
      expect(error.message).toContain(`${kind}://127.0.0.1:${port}`);
      expect(error.message).not.toContain('base URL');
      const tested = await harness.gateway.control.testProvider({ providerId: 'cloud' });
      expect(tested).toMatchObject({ ok: false, errorCode: 'proxy_unreachable', proxy: `${kind}://127.0.0.1:${port}` });
      expect(JSON.stringify([error.error, await lastRow(harness), tested])).not.toContain(PASSWORD);
    });
  }

  it("a key's own proxy wins over the provider's; keys without one use the provider's", async () => {
    const providerProxy = await proxy('http', false);
    const keyProxy = await proxy('socks5', true);
    const { upstream, client, harness } = await setup({ providerProxy: providerProxy.url, keys: [{ secret: 'sk-own-proxy', proxy: keyProxy.url, label: 'own' }, 'sk-plain'] });
    for (let i = 0; i < 4; i++) await ask(client);
    const chats = () => upstream.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.headers.authorization);
    expect(new Set(chats())).toEqual(new Set(['Bearer sk-own-proxy', 'Bearer sk-plain']));
    expect(keyProxy.tunnels.length).toBeGreaterThan(0);
    expect(providerProxy.tunnels.length).toBeGreaterThan(0);
    // The dashboard saves a key's proxy back as the mask it was shown: the password is kept.
    const own = (await harness.gateway.control.listProviders())[0]!.keys.find((k) => k.label === 'own')!;
    expect(own.proxy).toMatch(/^socks5:\/\/[^:]+:•••@127\.0\.0\.1:\d+$/);
    await harness.gateway.control.replaceKey({ keyId: own.id, secret: 'sk-own-proxy', proxy: own.proxy! });
    const ownCalls = () => chats().filter((auth) => auth === 'Bearer sk-own-proxy').length;
    const ownBefore = ownCalls();
    for (let i = 0; i < 2; i++) await ask(client);
    // That key goes only through its proxy: a saved mask would have failed the SOCKS5 login there.
    expect(ownCalls()).toBeGreaterThan(ownBefore);
    expect(keyProxy.tunnels.every((tunnel) => tunnel.accepted)).toBe(true);
    // The key's proxy goes away: that key fails with proxy_unreachable and the other key (through
    // the provider's proxy) answers in the same request.
    await keyProxy.close();
    const answered = chats().length;
    for (let i = 0; i < 2; i++) expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
    expect(chats().slice(answered)).toEqual(['Bearer sk-plain', 'Bearer sk-plain']);
    harness.gateway.flushHistory();
    const rows = (await harness.gateway.control.queryHistory({ limit: 2 })).rows;
    expect(rows.flatMap((row) => row.attempts.map((a) => [a.keyLabel, a.errorCode]))).toContainEqual(['own', 'proxy_unreachable']);
  });

  it('the Anthropic SDK streams through a proxied anthropic provider', async () => {
    const through = await proxy('http', true);
    const upstream = await startFakeAnthropic();
    const harness = await startGateway({
      providers: [{ id: 'claude', kind: 'anthropic', baseUrl: upstream.baseUrl, proxy: through.url, keys: ['sk-ant-proxied'] }],
      aliases: [{ alias: 'sonnet', targets: [{ provider: 'claude', model: 'claude-sonnet-4-5' }] }],
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['Through', ' the', ' proxy'] }] }));
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const stream = client.messages.stream({ model: 'sonnet', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Through the proxy' });
    expect(through.tunnels.some((tunnel) => tunnel.target === new URL(upstream.baseUrl).host)).toBe(true);
  });
});
