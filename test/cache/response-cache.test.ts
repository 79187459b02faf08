import Anthropic from '@anthropic-ai/sdk';
import type { SqliteStore } from '../../src-proxy/store/types.ts';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropMidStream, errorAnswer, startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const QUESTION = 'What is two plus two?';

describe('the response cache, through the official SDKs', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;

  const chatCalls = () => upstream.requests.filter((request) => request.path.endsWith('/chat/completions')).length;
  const latestRows = () => {
    harness.gateway.flushHistory();
    // The harness runs on SQLite, whose history answers at once.
    return (harness.gateway.store as SqliteStore).history.latest(20);
  };

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream-key-1'] }],
      aliases: [
        { alias: 'cached', targets: [{ provider: 'fake', model: 'fake-large' }], cache: { ttlSeconds: 3600 } },
        { alias: 'plain', targets: [{ provider: 'fake', model: 'fake-large' }] },
      ],
    });
    openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it("replays an OpenAI client's answer to an Anthropic client asking the same, as a stream, without calling upstream", async () => {
    const first = await openai.chat.completions
      .create({ model: 'cached', max_tokens: 64, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: QUESTION }] })
      .withResponse();
    expect(first.response.headers.get('x-switchboard-cache')).toBe('miss');
    expect(first.data.choices[0]!.message.content).toBe('Hello from fake');
    expect(chatCalls()).toBe(1);

    const { data: stream, response } = await anthropic.messages
      .create({ model: 'cached', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: QUESTION }], stream: true })
      .withResponse();
    expect(response.headers.get('x-switchboard-cache')).toBe('hit');
    let text = '';
    let outputTokens = 0;
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
    }
    expect(text).toBe('Hello from fake');
    expect(outputTokens).toBe(7);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(chatCalls()).toBe(1);

    const [hit, miss] = latestRows();
    expect(hit).toMatchObject({ cache: 'hit', dialect: 'anthropic', attempts: [], status: 200, provider: 'fake', upstreamModel: 'fake-large', inputTokens: 11, outputTokens: 7 });
    expect(miss).toMatchObject({ cache: 'miss', dialect: 'openai', status: 200, inputTokens: 11, outputTokens: 7 });
    expect(miss!.attempts).toHaveLength(1);
  });

  it('replays a streamed answer as one body and to an Ollama client; the same-dialect route is cached too', async () => {
    const messages = [{ role: 'user' as const, content: QUESTION }];
    const { data: stream, response } = await openai.chat.completions.create({ model: 'cached', messages, stream: true }).withResponse();
    expect(response.headers.get('x-switchboard-cache')).toBe('miss');
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe('Hello from fake');

    const whole = await openai.chat.completions.create({ model: 'cached', messages }).withResponse();
    expect(whole.response.headers.get('x-switchboard-cache')).toBe('hit');
    expect(whole.data.choices[0]!.message.content).toBe('Hello from fake');
    expect(whole.data.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7 });

    const ollama = new Ollama({ host: harness.origin });
    const answer = await ollama.chat({ model: 'cached', messages, stream: false });
    expect(answer.message.content).toBe('Hello from fake');
    expect(chatCalls()).toBe(1);
    expect(latestRows().slice(0, 3).map((row) => row.cache)).toEqual(['hit', 'hit', 'miss']);
  });

  it('keeps answers apart when the question, its parameters or the targets differ', async () => {
    await openai.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: QUESTION }] });
    await openai.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: `${QUESTION}?` }] });
    await openai.chat.completions.create({ model: 'cached', temperature: 0.2, messages: [{ role: 'user', content: QUESTION }] });
    await harness.gateway.control.updateAlias({ alias: 'cached', targets: [{ provider: 'fake', model: 'fake-small' }] });
    const { response } = await openai.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: QUESTION }] }).withResponse();
    expect(response.headers.get('x-switchboard-cache')).toBe('miss');
    expect(chatCalls()).toBe(4);
    // The alias kept its cache setting through an edit that did not mention it.
    expect(harness.gateway.store.aliases.get('cached')!.cache).toEqual({ ttlSeconds: 3600 });
  });

  it('bypass neither reads nor writes the cache; refresh asks upstream and replaces the kept answer', async () => {
    const ask = (header?: string) =>
      openai.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: QUESTION }] }, header ? { headers: { 'x-switchboard-cache': header } } : {}).withResponse();

    const bypassed = await ask('bypass');
    expect(bypassed.response.headers.get('x-switchboard-cache')).toBe('bypass');
    expect((await ask()).response.headers.get('x-switchboard-cache')).toBe('miss');
    expect(chatCalls()).toBe(2);
    expect((await ask('bypass')).response.headers.get('x-switchboard-cache')).toBe('bypass');
    expect(chatCalls()).toBe(3);

    upstream.enqueue('/v1/chat/completions', textAnswer(['A fresher', ' answer']));
    const refreshed = await ask('refresh');
    expect(refreshed.response.headers.get('x-switchboard-cache')).toBe('miss');
    expect(refreshed.data.choices[0]!.message.content).toBe('A fresher answer');
    const after = await ask();
    expect(after.response.headers.get('x-switchboard-cache')).toBe('hit');
    expect(after.data.choices[0]!.message.content).toBe('A fresher answer');
    expect(chatCalls()).toBe(4);
    expect(latestRows().slice(0, 5).map((row) => row.cache)).toEqual(['hit', 'refresh', 'bypass', 'miss', 'bypass']);
  });

  it('never keeps an error or a partial answer', async () => {
    const messages = [{ role: 'user' as const, content: QUESTION }];
    upstream.enqueue('/v1/chat/completions', errorAnswer(500, 'upstream broke'));
    const failed = await openai.chat.completions.create({ model: 'cached', messages }).withResponse().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).headers?.get('x-switchboard-cache')).toBe('miss');

    upstream.enqueue('/v1/chat/completions', dropMidStream(2));
    const partial = await openai.chat.completions.create({ model: 'cached', messages, stream: true });
    const cut = await (async () => {
      for await (const _chunk of partial) void _chunk;
    })().catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(Error);

    const { response, data } = await openai.chat.completions.create({ model: 'cached', messages }).withResponse();
    expect(response.headers.get('x-switchboard-cache')).toBe('miss');
    expect(data.choices[0]!.message.content).toBe('Hello from fake');
    expect(chatCalls()).toBe(3);
    expect((await openai.chat.completions.create({ model: 'cached', messages }).withResponse()).response.headers.get('x-switchboard-cache')).toBe('hit');
  });

  it('leaves routes without a cached alias alone, and refuses an unknown cache instruction in the client\'s shape', async () => {
    const plain = await openai.chat.completions.create({ model: 'plain', messages: [{ role: 'user', content: QUESTION }] }).withResponse();
    expect(plain.response.headers.get('x-switchboard-cache')).toBeNull();
    await openai.chat.completions.create({ model: 'plain', messages: [{ role: 'user', content: QUESTION }] });
    expect(chatCalls()).toBe(2);
    expect(latestRows()[0]!.cache).toBeNull();
    expect((await harness.gateway.control.getCacheStats()).entries).toBe(0);

    const refused = await anthropic.messages
      .create({ model: 'cached', max_tokens: 10, messages: [{ role: 'user', content: QUESTION }] }, { headers: { 'x-switchboard-cache': 'sometimes' } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect((refused as InstanceType<typeof Anthropic.BadRequestError>).message).toMatch(/x-switchboard-cache.*bypass.*refresh/);
  });

  it('is emptied by clearCache, and says how many answers it holds', async () => {
    await openai.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: QUESTION }] });
    await openai.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'Another question' }] });
    const stats = await harness.gateway.control.getCacheStats();
    expect(stats.entries).toBe(2);
    expect(stats.bytes).toBeGreaterThan(0);
    expect(stats.maxBytes).toBe(256 * 1024 * 1024);
    expect(await harness.gateway.control.clearCache()).toEqual({ removed: 2 });
    expect((await harness.gateway.control.getCacheStats()).entries).toBe(0);
    const { response } = await openai.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: QUESTION }] }).withResponse();
    expect(response.headers.get('x-switchboard-cache')).toBe('miss');
  });
});
