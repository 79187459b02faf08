/**
 * OpenAI SDK → Switchboard → an Anthropic upstream: translation the other way, including the
 * reasoning round-trip (Claude's signed thinking survives an OpenAI client across tool turns).
 */
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anthropicError, messageAnswer, midStreamError, startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const tools: OpenAI.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } },
];

describe('OpenAI clients through Switchboard to an Anthropic upstream (translation)', () => {
  let upstream: FakeAnthropic;
  let harness: Harness;
  let client: OpenAI;

  beforeEach(async () => {
    upstream = await startFakeAnthropic();
    upstream.models = [{ id: 'claude-fake-1', max_tokens: 12345, max_input_tokens: 200000 }];
    harness = await startGateway({
      providers: [{ id: 'claude', kind: 'anthropic', baseUrl: upstream.baseUrl, keys: ['sk-ant-upstream'] }],
      aliases: [{ alias: 'sonnet', targets: [{ provider: 'claude', model: 'claude-fake-1' }] }],
    });
    await harness.gateway.control.refreshModels({ providerId: 'claude' });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  const lastMessages = () => upstream.requests.filter((r) => r.path === '/v1/messages').at(-1)!;

  it('answers a chat completion with Anthropic rules applied to the upstream body', async () => {
    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['Bonjour'] }], usage: { input: 25, output: 3, cacheRead: 100, cacheWrite: 5 } }));
    const completion = await client.chat.completions.create({
      model: 'sonnet',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
      temperature: 1.7,
    });
    expect(completion.choices[0]!.message.content).toBe('Bonjour');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    // Anthropic input_tokens excludes cache tokens; OpenAI prompt_tokens includes them.
    expect(completion.usage).toMatchObject({ prompt_tokens: 130, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 100 } });
    const seen = lastMessages();
    expect(seen.body).toEqual({
      model: 'claude-fake-1',
      system: 'Be brief.\n\nAnswer in French.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      max_tokens: 12345,
      temperature: 1,
    });
    expect(seen.headers['x-api-key']).toBe('sk-ant-upstream');
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('streams Claude\'s thinking as reasoning_content and tool calls as OpenAI deltas', async () => {
    upstream.enqueue('/v1/messages', messageAnswer({
      blocks: [
        { type: 'thinking', chunks: ['I should ', 'call tools.'], signature: 'SIG-ABC' },
        { type: 'tool_use', id: 'toolu_a', name: 'get_weather', fragments: ['{"city":', '"Paris"}'] },
        { type: 'tool_use', id: 'toolu_b', name: 'get_time', fragments: ['{"tz":"CET"}'] },
      ],
    }));
    const stream = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'Weather and time?' }], tools, reasoning_effort: 'low', stream: true });
    let reasoning = '';
    for await (const chunk of stream) reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    expect(reasoning).toBe('I should call tools.');
    expect(lastMessages().body).toMatchObject({ stream: true, thinking: { type: 'enabled', budget_tokens: 2048 } });

    upstream.enqueue('/v1/messages', messageAnswer({
      blocks: [
        { type: 'thinking', chunks: ['I should ', 'call tools.'], signature: 'SIG-ABC' },
        { type: 'tool_use', id: 'toolu_a', name: 'get_weather', fragments: ['{"city":', '"Paris"}'] },
        { type: 'tool_use', id: 'toolu_b', name: 'get_time', fragments: ['{"tz":"CET"}'] },
      ],
    }));
    const final = await client.chat.completions.stream({ model: 'sonnet', messages: [{ role: 'user', content: 'Weather and time?' }], tools, reasoning_effort: 'low' }).finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(calls.map((c) => c.type === 'function' && [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ['toolu_a', 'get_weather', { city: 'Paris' }],
      ['toolu_b', 'get_time', { tz: 'CET' }],
    ]);

    // Next turn: the OpenAI client keeps no signature, yet Anthropic requires the signed
    // thinking block before the tool_use blocks it answers, and both results in one user turn.
    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['18C, 14:00'] }] }));
    const answer = await client.chat.completions.create({
      model: 'sonnet',
      tools,
      reasoning_effort: 'low',
      messages: [
        { role: 'user', content: 'Weather and time?' },
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', tool_call_id: 'toolu_a', content: '18C' },
        { role: 'tool', tool_call_id: 'toolu_b', content: '14:00' },
      ],
    });
    expect(answer.choices[0]!.message.content).toBe('18C, 14:00');
    const sent = lastMessages().body!;
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather and time?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should call tools.', signature: 'SIG-ABC' },
          { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: { tz: 'CET' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: '18C' }, { type: 'tool_result', tool_use_id: 'toolu_b', content: '14:00' }] },
    ]);
    expect(sent.tools).toEqual([
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'get_time', input_schema: { type: 'object', properties: { tz: { type: 'string' } } } },
    ]);
  });

  it('sends data-URL images as base64 sources and http images as URL sources', async () => {
    await client.chat.completions.create({
      model: 'sonnet',
      max_tokens: 50,
      messages: [{
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          { type: 'image_url', image_url: { url: 'https://example.com/b.png' } },
        ],
      }],
    });
    expect(lastMessages().body!.messages).toEqual([{
      role: 'user',
      content: [
        { type: 'text', text: 'Compare' },
        { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/b.png' } },
      ],
    }]);
    expect(lastMessages().body!.max_tokens).toBe(50);
  });

  it('reports Anthropic errors to the OpenAI client with their status and wording', async () => {
    upstream.enqueue('/v1/messages', anthropicError(400, 'invalid_request_error', 'messages: roles must alternate'));
    const error = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((error as Error).message)).toContain('roles must alternate');

    upstream.enqueue('/v1/messages', midStreamError('overloaded_error', 'Overloaded'));
    const stream = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'x' }], stream: true });
    const failure = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(String((failure as Error).message)).toContain('Overloaded');
  });
});
