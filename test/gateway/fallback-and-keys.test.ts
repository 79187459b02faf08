import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { dropMidStream, errorAnswer, startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('key rotation and fallback', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  const chats = (fake: FakeOpenAi) => fake.requests.filter((r) => r.path === '/v1/chat/completions');

  async function setup(keys: string[], secondTarget = true) {
    const primary = await startFakeOpenAi();
    const backup = await startFakeOpenAi();
    const harness = await startGateway({
      providers: [
        { id: 'primary', kind: 'openai', baseUrl: primary.baseUrl, keys },
        { id: 'backup', kind: 'openai', baseUrl: backup.baseUrl, keys: ['sk-backup'] },
      ],
      aliases: [{ alias: 'smart', targets: [{ provider: 'primary', model: 'p-model' }, ...(secondTarget ? [{ provider: 'backup', model: 'b-model' }] : [])] }],
    });
    cleanups.push(() => backup.close(), () => primary.close(), () => harness.close());
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    return { primary, backup, harness, client };
  }

  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });
  const askStreaming = (client: OpenAI) => client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true });

  async function lastRow(harness: Harness) {
    harness.gateway.flushHistory();
    return (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
  }

  it('rotates between healthy keys of a provider', async () => {
    const { primary, client } = await setup(['sk-one', 'sk-two']);
    await ask(client);
    await ask(client);
    expect(chats(primary).map((r) => r.headers.authorization)).toEqual(['Bearer sk-one', 'Bearer sk-two']);
  });

  it('moves to the next key after a 429 and rests the limited key for Retry-After', async () => {
    const { primary, client, harness } = await setup(['sk-one', 'sk-two']);
    primary.enqueue('/v1/chat/completions', errorAnswer(429, 'slow down', { 'retry-after': '120' }));
    const answer = await ask(client);
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    expect(chats(primary).map((r) => r.headers.authorization)).toEqual(['Bearer sk-one', 'Bearer sk-two']);
    await ask(client);
    await ask(client);
    expect(chats(primary).slice(2).map((r) => r.headers.authorization)).toEqual(['Bearer sk-two', 'Bearer sk-two']);
    const keys = (await harness.gateway.control.listProviders()).find((p) => p.id === 'primary')!.keys;
    expect(keys[0]!.cooldownUntil).toBeGreaterThan(Date.now() + 100_000);
    expect(keys[0]!.lastError).toMatch(/429/);
    expect((await lastRow(harness)).attempts.length).toBe(1);
  });

  it('moves on to the next target after a rejected key, and rests the key once its models call confirms the rejection', async () => {
    const { primary, backup, client, harness } = await setup(['sk-bad']);
    await harness.gateway.whenIdle();
    primary.enqueue('/v1/chat/completions', errorAnswer(401, 'Incorrect API key provided: sk-bad'));
    // The key's own models call confirms the rejection, so the key rests (routing/key-check.ts).
    primary.route = (record) => (record.path === '/v1/models' ? errorAnswer(401, 'Incorrect API key provided: sk-bad') : undefined);
    const answer = await ask(client);
    expect(answer.model).toBe('b-model');
    expect(chats(backup)).toHaveLength(1);
    const row = await lastRow(harness);
    expect(row.provider).toBe('backup');
    expect(row.attempts.map((a) => [a.provider, a.status, a.errorCode])).toEqual([
      ['primary', 401, 'upstream_auth_failed'],
      ['backup', 200, null],
    ]);
    // The rejected key rests, so the next request goes straight to the backup.
    await harness.gateway.whenIdle();
    await ask(client);
    expect(chats(primary)).toHaveLength(1);
    expect(JSON.stringify(row)).not.toContain('sk-bad');
  });

  it('falls back to the next target when the provider answers 5xx', async () => {
    const { primary, backup, client } = await setup(['sk-one']);
    primary.enqueue('/v1/chat/completions', errorAnswer(503, 'overloaded'));
    const answer = await ask(client);
    expect(answer.model).toBe('b-model');
    expect(chats(primary)).toHaveLength(1);
    expect(chats(backup)).toHaveLength(1);
  });

  it('falls back on a connection refused before the first byte', async () => {
    const { primary, backup, client } = await setup(['sk-one']);
    await primary.close();
    const answer = await ask(client);
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    expect(chats(backup)).toHaveLength(1);
  });

  it('does not fall back on a 400 the client must fix, and passes the provider error through', async () => {
    const { primary, backup, client } = await setup(['sk-one']);
    primary.enqueue('/v1/chat/completions', errorAnswer(400, 'max_tokens is too large', {}, 'invalid_value'));
    const error = await ask(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/max_tokens is too large/);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('invalid_value');
    expect(chats(backup)).toHaveLength(0);
  });

  it('never falls back once the answer started: an upstream drop mid-stream makes the SDK raise', async () => {
    const { primary, backup, client, harness } = await setup(['sk-one']);
    primary.enqueue('/v1/chat/completions', dropMidStream(3));
    const stream = await askStreaming(client);
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toMatch(/closed the connection|ended before/i);
    expect(received.join('')).toBe('part0 part1 part2 ');
    expect(chats(backup)).toHaveLength(0);
    const row = await lastRow(harness);
    expect(row.errorCode).toBe('upstream_disconnected');
  });

  it('reports an exhausted key pool with Retry-After when every key rests', async () => {
    const { primary, client } = await setup(['sk-one'], false);
    primary.enqueue('/v1/chat/completions', errorAnswer(429, 'slow down', { 'retry-after': '30' }));
    const first = await ask(client).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(OpenAI.RateLimitError);
    const second = await ask(client).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(OpenAI.RateLimitError);
    expect((second as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('key_pool_exhausted');
    expect(Number((second as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThan(20);
    expect(chats(primary)).toHaveLength(1);
  });

  it('answers an unknown model with model_not_found listing what is available', async () => {
    const { client } = await setup(['sk-one']);
    const error = await client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as Error).message).toMatch(/smart/);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });
});

describe('routing by provider address and discovered model', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('routes provider/model addresses and models only one provider lists', async () => {
    upstream = await startFakeOpenAi({ models: ['only-here', 'vendor/nested-model'] });
    harness = await startGateway({ providers: [{ id: 'router', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-r'] }] });
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    await harness.gateway.control.refreshModels({});
    upstream.enqueue('/v1/chat/completions', textAnswer(['ok']));
    await client.chat.completions.create({ model: 'router/vendor/nested-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(upstream.requests.at(-1)!.body!.model).toBe('vendor/nested-model');
    await client.chat.completions.create({ model: 'only-here', messages: [{ role: 'user', content: 'hi' }] });
    expect(upstream.requests.at(-1)!.body!.model).toBe('only-here');
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(['router/only-here', 'router/vendor/nested-model']));
  });
});
