import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('embeddings, models and legacy completions', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let client: OpenAI;
  beforeAll(async () => {
    upstream = await startFakeOpenAi({ models: ['embed-small', 'chat-model'] });
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] }],
      aliases: [
        { alias: 'embedder', targets: [{ provider: 'fake', model: 'embed-small' }], metadata: { contextWindow: 8192, capabilities: ['embedding'] } },
        { alias: 'hidden', targets: [{ provider: 'fake', model: 'chat-model' }], exposed: false },
        { alias: 'writer', targets: [{ provider: 'fake', model: 'chat-model' }], metadata: { contextWindow: 128000, maxOutputTokens: 16384 } },
      ],
    });
    await harness.gateway.control.refreshModels({});
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });

  it('returns embeddings the SDK decodes from its default base64 encoding', async () => {
    const result = await client.embeddings.create({ model: 'embedder', input: ['a', 'b'] });
    expect(upstream.requests.at(-1)!.body!.encoding_format).toBe('base64');
    expect(result.data.map((d) => d.embedding)).toEqual([
      [0.25, -0.5, 1.5],
      [1.25, -0.5, 1.5],
    ]);
  });

  it('returns float embeddings when asked', async () => {
    const result = await client.embeddings.create({ model: 'embedder', input: 'a', encoding_format: 'float' });
    expect(result.data[0]!.embedding).toEqual([0.25, -0.5, 1.5]);
    expect(result.usage.prompt_tokens).toBe(4);
  });

  it('lists exposed aliases first with their metadata, then discovered provider models', async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids.slice(0, 2)).toEqual(['embedder', 'writer']);
    expect(ids).toContain('fake/chat-model');
    expect(ids).not.toContain('hidden');
    const writer = models.data.find((m) => m.id === 'writer') as unknown as Record<string, unknown>;
    expect(writer).toMatchObject({ object: 'model', owned_by: 'switchboard', context_window: 128000, max_output_tokens: 16384 });
  });

  it('retrieves one model, also a provider address with slashes and a hidden alias', async () => {
    expect((await client.models.retrieve('writer')).id).toBe('writer');
    expect((await client.models.retrieve('fake/chat-model')).id).toBe('fake/chat-model');
    expect((await client.models.retrieve('hidden')).id).toBe('hidden');
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('forwards legacy completions', async () => {
    const completion = await client.completions.create({ model: 'writer', prompt: 'Say hi' });
    expect(completion.choices[0]!.text).toBe('completed text');
  });
});
