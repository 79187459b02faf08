// The official Anthropic client → Switchboard (Anthropic dialect) → a Gemini provider.
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { geminiText, geminiToolCalls, startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const KEY = 'gemini-test-key-123';
const WEATHER: Anthropic.Tool = { name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe('Anthropic client through Switchboard to a Gemini provider', () => {
  let fake: FakeGemini;
  let harness: Harness;
  let client: Anthropic;
  const lastCall = () => fake.requests.filter((request) => request.operation !== 'models').at(-1)!;

  beforeEach(async () => {
    fake = await startFakeGemini();
    harness = await startGateway({
      providers: [{ id: 'gem', kind: 'gemini', baseUrl: fake.origin, keys: [KEY] }],
      aliases: [{ alias: 'claude-sonnet-4-5', targets: [{ provider: 'gem', model: 'gemini-3-pro-preview' }] }],
    });
    client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await fake.close();
  });

  it('streams a Gemini answer as Anthropic events the SDK assembles, with usage', async () => {
    fake.enqueue('streamGenerateContent', geminiText(['Hello', ' there'], { thoughts: ['Thinking about it.'], thoughtTokens: 6 }));
    const message = await client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 256, system: 'Be kind.', messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
    const text = message.content.filter((block) => block.type === 'text').map((block) => block.text).join('');
    expect(text).toBe('Hello there');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 12, output_tokens: 8 });
    const seen = lastCall();
    expect(seen.url).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
    expect(seen.headers['x-goog-api-key']).toBe(KEY);
    expect(seen.body).toMatchObject({ systemInstruction: { parts: [{ text: 'Be kind.' }] }, generationConfig: { maxOutputTokens: 256 } });
  });

  it('runs a tool turn and sends the thought signature back on the functionCall part', async () => {
    fake.enqueue('streamGenerateContent', geminiToolCalls([{ name: 'get_weather', args: { city: 'Paris' }, signature: 'Gem3-signature==' }]));
    const first = await client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 256, tools: [WEATHER], messages: [{ role: 'user', content: 'Weather in Paris?' }] }).finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((block) => block.type === 'tool_use')!;
    expect(toolUse).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    expect(toolUse.id).toMatch(/^[a-zA-Z0-9_-]+$/);

    fake.enqueue('generateContent', geminiText(['It is 18C.']));
    const second = await client.messages.create({
      model: 'claude-sonnet-4-5', max_tokens: 256, tools: [WEATHER],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '18C' }] },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'It is 18C.' });
    const contents = lastCall().body!.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>;
    expect(contents[1]!.parts).toContainEqual({ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'Gem3-signature==' });
    expect(contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: '18C' } } }] });
  });
});
