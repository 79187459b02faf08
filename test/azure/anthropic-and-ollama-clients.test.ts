// Anthropic and Ollama clients → Switchboard → Azure OpenAI (canonical path: the OpenAI
// provider's translation, Azure's URLs and stream quirks).
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { azureChat, startFakeAzure, type FakeAzure } from '../fixtures/fake-azure-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const KEY = 'azure-test-key-456';

describe.each([
  { surface: 'classic' as const, baseUrl: (fake: FakeAzure) => fake.origin },
  { surface: 'v1' as const, baseUrl: (fake: FakeAzure) => fake.v1BaseUrl },
])('Anthropic and Ollama clients through Switchboard to Azure OpenAI ($surface surface)', ({ surface, baseUrl }) => {
  let fake: FakeAzure;
  let harness: Harness;

  beforeEach(async () => {
    fake = await startFakeAzure();
    harness = await startGateway({
      providers: [{ id: 'az', kind: 'azure-openai', baseUrl: baseUrl(fake), keys: [KEY], options: { deployments: { 'gpt-4o': 'gpt4o-prod' } } }],
      aliases: [{ alias: 'claude-sonnet-4-5', targets: [{ provider: 'az', model: 'gpt-4o' }] }, { alias: 'llama3', targets: [{ provider: 'az', model: 'gpt-4o' }] }],
    });
  });
  afterEach(async () => {
    await harness.close();
    await fake.close();
  });

  function expectAzureCall() {
    const seen = fake.requests.filter((request) => request.operation === 'chat/completions').at(-1)!;
    expect(seen.surface).toBe(surface);
    expect(seen.deployment).toBe('gpt4o-prod');
    expect(seen.headers['api-key']).toBe(KEY);
    return seen;
  }

  it('Anthropic client: streams text past Azure\'s empty first chunk, with usage', async () => {
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const message = await client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
    expect(message.content.map((block) => (block.type === 'text' ? block.text : block.type))).toEqual(['Hello from Azure']);
    expect(message.usage).toMatchObject({ input_tokens: 21, output_tokens: 9 });
    expect(expectAzureCall().body!.max_tokens).toBe(100);
  });

  it('Anthropic client: gets Azure tool calls as tool_use blocks', async () => {
    fake.enqueue('chat/completions', azureChat({ toolCalls: [{ id: 'call_az', name: 'lookup', arguments: '{"q":"x"}' }] }));
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, tools: [{ name: 'lookup', input_schema: { type: 'object' } }], messages: [{ role: 'user', content: 'Hi' }] });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toContainEqual(expect.objectContaining({ type: 'tool_use', id: 'call_az', name: 'lookup', input: { q: 'x' } }));
  });

  it('Ollama client: streams NDJSON from Azure', async () => {
    const ollama = new Ollama({ host: harness.origin });
    const stream = await ollama.chat({ model: 'llama3', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    let last;
    for await (const part of stream) {
      text += part.message.content;
      last = part;
    }
    expect(text).toBe('Hello from Azure');
    expect(last).toMatchObject({ done: true, prompt_eval_count: 21, eval_count: 9 });
    expectAzureCall();
  });
});
