/**
 * The ollama npm client → Switchboard → an Anthropic upstream: Ollama `thinking` ↔ Claude thinking,
 * tool calls as objects, NDJSON streaming.
 */
import { Ollama } from 'ollama';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('the ollama npm client through Switchboard to an Anthropic upstream', () => {
  let upstream: FakeAnthropic;
  let harness: Harness;
  let ollama: Ollama;

  beforeEach(async () => {
    upstream = await startFakeAnthropic();
    harness = await startGateway({
      providers: [{ id: 'claude', kind: 'anthropic', baseUrl: upstream.baseUrl, keys: ['sk-ant-upstream'] }],
      aliases: [{ alias: 'sonnet', targets: [{ provider: 'claude', model: 'claude-fake-1' }] }],
    });
    ollama = new Ollama({ host: harness.origin });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  const lastMessages = () => upstream.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body!;

  it('streams Claude\'s thinking as `thinking` and its tool_use as an Ollama tool call', async () => {
    upstream.enqueue('/v1/messages', messageAnswer({
      blocks: [
        { type: 'thinking', chunks: ['Look ', 'it up.'], signature: 'SIG-O' },
        { type: 'tool_use', id: 'toolu_w', name: 'get_weather', fragments: ['{"city":', '"Oslo"}'] },
      ],
    }));
    const stream = await ollama.chat({ model: 'sonnet', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: [weatherTool], think: true, stream: true });
    let thinking = '';
    const calls: Array<{ function: { name: string; arguments: Record<string, unknown> } }> = [];
    let done = false;
    for await (const part of stream) {
      thinking += part.message.thinking ?? '';
      calls.push(...(part.message.tool_calls ?? []));
      if (part.done) done = true;
    }
    expect(done).toBe(true);
    expect(thinking).toBe('Look it up.');
    expect(calls.map((call) => [call.function.name, call.function.arguments])).toEqual([['get_weather', { city: 'Oslo' }]]);
    const sent = lastMessages();
    expect(sent).toMatchObject({ model: 'claude-fake-1', stream: true, tools: [{ name: 'get_weather', input_schema: weatherTool.function.parameters }] });
    expect(typeof sent.max_tokens).toBe('number');
  });

  it('answers a non-streaming chat and sends the tool result back as a tool_result turn', async () => {
    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['It is 3C in Oslo.'] }], usage: { input: 40, output: 8 } }));
    const response = await ollama.chat({
      model: 'sonnet',
      stream: false,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }] },
        { role: 'tool', content: '3C', tool_name: 'get_weather' } as never,
      ],
    });
    expect(response.message.content).toBe('It is 3C in Oslo.');
    expect(response.prompt_eval_count).toBe(40);
    expect(response.eval_count).toBe(8);
    const sent = lastMessages().messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    expect(sent.map((turn) => turn.role)).toEqual(['user', 'assistant', 'user']);
    const call = sent[1]!.content[0]!;
    expect(call).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Oslo' } });
    expect(sent[2]!.content[0]).toEqual({ type: 'tool_result', tool_use_id: call.id, content: '3C' });
  });
});
