// The official OpenAI client → Switchboard → an Azure OpenAI provider (fast path: the body goes
// through with only the deployment, URL and key rewritten).
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { azureChat, azurePromptFiltered, startFakeAzure, type FakeAzure } from '../fixtures/fake-azure-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const KEY = 'azure-test-key-456';

describe.each([
  { surface: 'classic' as const, baseUrl: (fake: FakeAzure) => fake.origin },
  { surface: 'v1' as const, baseUrl: (fake: FakeAzure) => fake.v1BaseUrl },
])('OpenAI client through Switchboard to Azure OpenAI ($surface surface)', ({ surface, baseUrl }) => {
  let fake: FakeAzure;
  let harness: Harness;
  let client: OpenAI;
  const lastCall = () => fake.requests.filter((request) => request.operation !== 'models').at(-1)!;

  beforeEach(async () => {
    fake = await startFakeAzure();
    harness = await startGateway({
      providers: [{ id: 'az', kind: 'azure-openai', baseUrl: baseUrl(fake), keys: [KEY], options: { deployments: { 'gpt-4o': 'gpt4o-prod', 'text-embedding-3-small': 'embed-small', 'gpt-35-turbo-instruct': 'instruct' } } }],
      aliases: [
        { alias: 'smart', targets: [{ provider: 'az', model: 'gpt-4o' }] },
        { alias: 'mini', targets: [{ provider: 'az', model: 'gpt-4o-mini' }] },
        { alias: 'embed', targets: [{ provider: 'az', model: 'text-embedding-3-small' }] },
        { alias: 'instruct', targets: [{ provider: 'az', model: 'gpt-35-turbo-instruct' }] },
      ],
    });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await fake.close();
  });

  function expectDeploymentCall(deployment: string, operation: string) {
    const seen = lastCall();
    expect(seen.surface).toBe(surface);
    expect(seen.operation).toBe(operation);
    expect(seen.deployment).toBe(deployment);
    expect(seen.headers['api-key']).toBe(KEY);
    expect(seen.headers.authorization).toBeUndefined();
    if (surface === 'classic') {
      expect(seen.apiVersion).toBe('2024-10-21');
      expect(seen.body).not.toHaveProperty('model');
    } else {
      expect(seen.apiVersion).toBeNull();
      expect(seen.body!.model).toBe(deployment);
    }
    return seen;
  }

  it('streams through the mapped deployment, reading past the empty first chunk and filter annotations', async () => {
    const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from Azure');
    expect(usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 9 });
    expectDeploymentCall('gpt4o-prod', 'chat/completions');
  });

  it('assembles streamed tool calls with the SDK helper', async () => {
    fake.enqueue('chat/completions', azureChat({ toolCalls: [{ id: 'call_az1', name: 'lookup', arguments: '{"q":"x"}' }] }));
    const final = await client.chat.completions.stream({ model: 'smart', messages: [{ role: 'user', content: 'Hi' }], tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }] }).finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && [call.id, call.function.name, call.function.arguments]).toEqual(['call_az1', 'lookup', '{"q":"x"}']);
  });

  it('uses the model name as the deployment when no mapping exists, non-streaming', async () => {
    const completion = await client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]!.message.content).toBe('Hello from Azure');
    expectDeploymentCall('gpt-4o-mini', 'chat/completions');
  });

  it('forwards embeddings and legacy completions to their deployments', async () => {
    const embedded = await client.embeddings.create({ model: 'embed', input: ['a', 'b'] });
    expect(embedded.data.map((entry) => Array.from(entry.embedding))).toEqual([[0.5, -1, 2], [1.5, -1, 2]]);
    expectDeploymentCall('embed-small', 'embeddings');
    const completion = await client.completions.create({ model: 'instruct', prompt: 'Say hi' });
    expect(completion.choices[0]!.text).toBe('azure completion');
    expectDeploymentCall('instruct', 'completions');
  });

  it('reports output filtering as finish_reason content_filter', async () => {
    fake.enqueue('chat/completions', azureChat({ text: ['Partial'], finishReason: 'content_filter' }));
    const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let finish: string | null = null;
    for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
    expect(finish).toBe('content_filter');
  });

  it('answers a filtered prompt with a 400 that keeps Azure\'s content_filter code', async () => {
    fake.enqueue('chat/completions', azurePromptFiltered());
    const error = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'bad' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('content_filter');
    expect((error as Error).message).toMatch(/content management policy/);
  });

  it('reports a missing deployment as a 404 with Azure\'s message', async () => {
    await harness.gateway.control.createAlias({ alias: 'ghost', targets: [{ provider: 'az', model: 'not-deployed' }] });
    const error = await client.chat.completions.create({ model: 'ghost', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as Error).message).toMatch(/deployment for this resource does not exist/);
  });

  it('discovers models: configured deployments, plus the resource\'s models on the v1 surface', async () => {
    const models = (await harness.gateway.control.refreshModels({ providerId: 'az' })).map((model) => model.model).sort();
    const configured = ['gpt-35-turbo-instruct', 'gpt-4o', 'text-embedding-3-small'];
    expect(models).toEqual(surface === 'v1' ? [...configured, 'o4-mini'].sort() : configured);
    if (surface === 'v1') expect(fake.requests.some((request) => request.operation === 'models' && request.headers['api-key'] === KEY)).toBe(true);
    else expect(fake.requests.some((request) => request.operation === 'models')).toBe(false);
  });
});

describe('Azure OpenAI classic surface options', () => {
  it('sends the api-version configured on the provider', async () => {
    const fake = await startFakeAzure();
    const harness = await startGateway({
      providers: [{ id: 'az', kind: 'azure-openai', baseUrl: `${fake.origin}/`, keys: [KEY], options: { apiVersion: '2025-04-01-preview' } }],
      aliases: [{ alias: 'mini', targets: [{ provider: 'az', model: 'gpt-4o-mini' }] }],
    });
    try {
      const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
      await client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'Hi' }] });
      expect(fake.requests.at(-1)!.url).toBe('/openai/deployments/gpt-4o-mini/chat/completions?api-version=2025-04-01-preview');
    } finally {
      await harness.close();
      await fake.close();
    }
  });
});
