// The official Ollama client → Switchboard (Ollama dialect) → a Gemini provider.
import { Ollama } from 'ollama';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { geminiText, geminiToolCalls, startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const KEY = 'gemini-test-key-123';
const WEATHER = { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

describe('Ollama client through Switchboard to a Gemini provider', () => {
  let fake: FakeGemini;
  let harness: Harness;
  let ollama: Ollama;
  const lastCall = () => fake.requests.filter((request) => request.operation !== 'models').at(-1)!;

  beforeEach(async () => {
    fake = await startFakeGemini();
    harness = await startGateway({
      providers: [{ id: 'gem', kind: 'gemini', baseUrl: fake.origin, keys: [KEY] }],
      aliases: [{ alias: 'gemini-flash', targets: [{ provider: 'gem', model: 'gemini-3-pro-preview' }] }],
    });
    ollama = new Ollama({ host: harness.origin });
  });
  afterEach(async () => {
    await harness.close();
    await fake.close();
  });

  it('streams a Gemini answer as Ollama NDJSON with token counts on the last line', async () => {
    const stream = await ollama.chat({ model: 'gemini-flash', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    let last;
    for await (const part of stream) {
      text += part.message.content;
      last = part;
    }
    expect(text).toBe('Hello from Gemini');
    expect(last).toMatchObject({ done: true, prompt_eval_count: 12, eval_count: 3 });
    expect(lastCall().url).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
    expect(lastCall().headers['x-goog-api-key']).toBe(KEY);
  });

  it('runs a tool turn and sends the thought signature back on the functionCall part', async () => {
    fake.enqueue('generateContent', geminiToolCalls([{ name: 'get_weather', args: { city: 'Paris' }, signature: 'Gem3-ollama-sig' }]));
    const first = await ollama.chat({ model: 'gemini-flash', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [WEATHER], stream: false });
    expect(first.message.tool_calls?.map((call) => [call.function.name, call.function.arguments])).toEqual([['get_weather', { city: 'Paris' }]]);

    fake.enqueue('generateContent', geminiText(['18C in Paris.']));
    const second = await ollama.chat({
      model: 'gemini-flash', tools: [WEATHER], stream: false,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        first.message,
        { role: 'tool', content: '18C', tool_name: 'get_weather' } as never,
      ],
    });
    expect(second.message.content).toBe('18C in Paris.');
    const contents = lastCall().body!.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>;
    expect(contents[1]!.parts).toContainEqual({ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'Gem3-ollama-sig' });
    expect(contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: '18C' } } }] });
  });
});
