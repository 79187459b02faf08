/**
 * Anthropic SDK → Switchboard → an OpenAI-compatible upstream: the Messages dialect translated
 * both ways, streams checked event by event and against the SDK's own accumulator.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropMidStream, errorAnswer, startFakeOpenAi, textAnswer, toolCallAnswer, type FakeOpenAi, type Responder } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { readStream } from '../fixtures/read-stream.ts';

/** Reasoning deltas (DeepSeek / vLLM style `reasoning_content`), then text, then usage. */
function reasoningAnswer(reasoning: string[], text: string[]): Responder {
  return (_req, res: ServerResponse, body) => {
    const base = { id: 'chatcmpl-r', object: 'chat.completion.chunk', created: 1, model: String(body?.model) };
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    if (!body?.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', reasoning_content: reasoning.join(''), content: text.join('') }, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 21 } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    for (const part of reasoning) send({ ...base, choices: [{ index: 0, delta: { reasoning_content: part }, finish_reason: null }] });
    for (const part of text) send({ ...base, choices: [{ index: 0, delta: { content: part }, finish_reason: null }] });
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    send({ ...base, choices: [], usage: { prompt_tokens: 9, completion_tokens: 21 } });
    res.end('data: [DONE]\n\n');
  };
}

/** Raw SSE of a streaming /v1/messages call, parsed into (event, data) pairs. */
async function rawStream(harness: Harness, body: Record<string, unknown>): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const response = await fetch(`${harness.origin}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': harness.token, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const { text, cut } = await readStream(response);
  const events = text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const lines = chunk.split('\n');
      expect(lines[0]).toMatch(/^event: /);
      return { event: lines[0]!.slice(7), data: JSON.parse(lines[1]!.slice(6)) as Record<string, unknown> };
    });
  // A whole answer ends cleanly; one that ends on an in-band error is cut after it.
  expect(cut).toBe(events.at(-1)?.event === 'error');
  return events;
}

describe('Anthropic clients through Switchboard to an OpenAI-compatible upstream (translation)', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let client: Anthropic;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'oai', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-openai-upstream'] }],
      aliases: [{ alias: 'claude-*', targets: [{ provider: 'oai', model: 'fake-large' }] }],
    });
    client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  const lastChat = () => upstream.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!.body!;

  it('answers a non-streaming message and sends the upstream an OpenAI chat body', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'system', content: 'Also be kind.' } as unknown as Anthropic.MessageParam,
        { role: 'user', content: 'Hi' },
      ],
      stop_sequences: ['###'],
      // SDK 1.x no longer types sampling fields; older clients still send them.
      ...({ temperature: 0.2, top_k: 5 } as object),
      metadata: { user_id: 'u-1' },
    });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'fake-large', content: [{ type: 'text', text: 'Hello from fake' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 11, output_tokens: 7 } });
    expect(message.id).toMatch(/^msg_/);
    const sent = lastChat();
    expect(sent.user).toBeUndefined();
    expect(sent).toMatchObject({ model: 'fake-large', max_tokens: 256, stop: ['###'], temperature: 0.2, messages: [{ role: 'system', content: 'Be brief.\n\nAlso be kind.' }, { role: 'user', content: 'Hi' }] });
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-openai-upstream');
  });

  it('streams the exact Anthropic event sequence, with usage held for message_delta', async () => {
    const events = await rawStream(harness, { model: 'claude-x', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
    expect(events.map((e) => e.event)).toEqual([
      'message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    for (const { event, data } of events) expect(data.type).toBe(event);
    expect(events[0]!.data.message).toMatchObject({ role: 'assistant', content: [], stop_reason: null });
    expect(events.at(-2)!.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { input_tokens: 11, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 7 } });
  });

  it('sends ping events while the upstream is silent, after message_start', async () => {
    await harness.gateway.control.updateSettings({ pingIntervalMs: 40 });
    upstream.enqueue('/v1/chat/completions', textAnswer(['slow', ' answer'], { delayMs: 250 }));
    const events = await rawStream(harness, { model: 'claude-x', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
    const pings = events.flatMap((e, index) => (e.event === 'ping' ? [index] : []));
    expect(pings.length).toBeGreaterThan(0);
    expect(pings[0]).toBeGreaterThan(0);
    expect(events.at(-1)!.event).toBe('message_stop');
    expect(events.filter((e) => e.event !== 'ping').map((e) => e.event)).toEqual([
      'message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
  });

  it('puts an input-token estimate in message_start (LangChain reads input tokens only there); message_delta has the real count', async () => {
    const question = 'Summarise the following text in one line. '.repeat(40);
    const body = { model: 'claude-x', max_tokens: 50, messages: [{ role: 'user', content: question }] };
    const events = await rawStream(harness, body);
    const started = (events[0]!.data.message as { usage: { input_tokens: number } }).usage.input_tokens;
    // About four bytes of request JSON per token: the same estimate the token-per-minute limits use.
    const bytes = JSON.stringify({ ...body, stream: true }).length;
    expect(started).toBe(Math.ceil(bytes / 4));
    expect(started).toBeGreaterThan(300);
    expect((events.at(-2)!.data.usage as { input_tokens: number }).input_tokens).toBe(11);

    // Through the SDK: the message_start event a LangChain-style reader takes its count from.
    const stream = client.messages.stream({ model: 'claude-x', max_tokens: 50, messages: [{ role: 'user', content: question }] });
    let startUsage = -1;
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') startUsage = event.message.usage.input_tokens;
    });
    await stream.finalMessage();
    expect(startUsage).toBeGreaterThan(300);
  });

  it('gives the same final message from the SDK stream accumulator as from a non-streaming call', async () => {
    upstream.enqueue('/v1/chat/completions', reasoningAnswer(['Think', 'ing.'], ['The ', 'answer.']));
    upstream.enqueue('/v1/chat/completions', reasoningAnswer(['Think', 'ing.'], ['The ', 'answer.']));
    const params = { model: 'claude-x', max_tokens: 2000, messages: [{ role: 'user' as const, content: 'Why?' }], thinking: { type: 'enabled' as const, budget_tokens: 1024 } };
    const streamed = await client.messages.stream(params).finalMessage();
    const whole = await client.messages.create(params);
    // Ids are minted per answer; parsed_output is the stream helper's own addition.
    const { id: _a, parsed_output: _p, ...streamedRest } = streamed as typeof streamed & { parsed_output?: unknown };
    const { id: _b, ...wholeRest } = whole;
    expect(streamedRest).toEqual(wholeRest);
    expect(whole.content).toEqual([{ type: 'thinking', thinking: 'Thinking.', signature: '' }, { type: 'text', text: 'The answer.' }]);
    expect(lastChat().reasoning_effort).toBeUndefined();
  });

  it('turns parallel tool calls streamed as interleaved fragments into sequential tool_use blocks, then completes the tool round', async () => {
    upstream.enqueue('/v1/chat/completions', toolCallAnswer([
      { id: 'call_a', name: 'get_weather', fragments: ['{"ci', 'ty":', '"Paris"}'] },
      { id: 'call_b', name: 'get_time', fragments: ['{"tz":"', 'CET"}'] },
    ]));
    const tools: Anthropic.Tool[] = [
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'get_time', input_schema: { type: 'object', properties: { tz: { type: 'string' } } } },
    ];
    const events = await rawStream(harness, { model: 'claude-x', max_tokens: 100, tools, messages: [{ role: 'user', content: 'Weather and time?' }] });
    let open: number | null = null;
    for (const { event, data } of events) {
      if (event === 'content_block_start') {
        expect(open).toBeNull();
        open = data.index as number;
      } else if (event === 'content_block_delta') expect(data.index).toBe(open);
      else if (event === 'content_block_stop') open = null;
    }
    expect(events.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block)).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} },
      { type: 'tool_use', id: 'call_b', name: 'get_time', input: {} },
    ]);

    upstream.enqueue('/v1/chat/completions', toolCallAnswer([
      { id: 'call_a', name: 'get_weather', fragments: ['{"ci', 'ty":', '"Paris"}'] },
      { id: 'call_b', name: 'get_time', fragments: ['{"tz":"', 'CET"}'] },
    ]));
    const first = await client.messages.stream({ model: 'claude-x', max_tokens: 100, tools, messages: [{ role: 'user', content: 'Weather and time?' }] }).finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_b', name: 'get_time', input: { tz: 'CET' } },
    ]);

    upstream.enqueue('/v1/chat/completions', textAnswer(['18C and 14:00.']));
    const answer = await client.messages.create({
      model: 'claude-x',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'Weather and time?' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_a', content: '18C' },
            { type: 'tool_result', tool_use_id: 'call_b', content: [{ type: 'text', text: 'clock broken' }], is_error: true },
            { type: 'text', text: 'Thanks' },
          ],
        },
      ],
    });
    expect(answer.content).toEqual([{ type: 'text', text: '18C and 14:00.' }]);
    const sent = lastChat();
    expect(sent.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } },
    ]);
    expect(sent.messages).toEqual([
      { role: 'user', content: 'Weather and time?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }, { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } }] },
      { role: 'tool', tool_call_id: 'call_a', content: '18C' },
      { role: 'tool', tool_call_id: 'call_b', content: 'clock broken' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('maps tool_choice and disable_parallel_tool_use', async () => {
    await client.messages.create({
      model: 'claude-x',
      max_tokens: 10,
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'f', disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(lastChat()).toMatchObject({ tool_choice: { type: 'function', function: { name: 'f' } }, parallel_tool_calls: false });
    await client.messages.create({ model: 'claude-x', max_tokens: 10, tools: [{ name: 'f', input_schema: { type: 'object' } }], tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'x' }] });
    expect(lastChat().tool_choice).toBe('required');
  });

  it('sends base64 and URL images as OpenAI image parts', async () => {
    await client.messages.create({
      model: 'claude-x',
      max_tokens: 10,
      messages: [{
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      }],
    });
    expect(lastChat().messages).toEqual([{
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
      ],
    }]);
  });

  it('estimates count_tokens locally and marks the history row as an estimate', async () => {
    const count = await client.messages.countTokens({
      model: 'claude-x',
      system: 'You are a helpful assistant.',
      messages: [{ role: 'user', content: 'Count the tokens in this sentence, please.' }],
      tools: [{ name: 'f', description: 'A tool', input_schema: { type: 'object', properties: { a: { type: 'string' } } } }],
    });
    expect(count.input_tokens).toBeGreaterThan(15);
    expect(count.input_tokens).toBeLessThan(80);
    expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 20));
    harness.gateway.flushHistory();
    const row = (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
    expect(await harness.gateway.control.getHistoryEntry({ id: row.id })).toMatchObject({ endpoint: '/v1/messages/count_tokens', estimated: true, inputTokens: count.input_tokens, status: 200 });
  });

  it('answers errors in the Anthropic shape with the matching status', async () => {
    const missing = await client.messages.create({ model: 'gpt-unknown', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });

    const noToken = new Anthropic({ baseURL: harness.origin, apiKey: 'wrong-token', maxRetries: 0 });
    const denied = await noToken.messages.create({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((denied as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });

    upstream.enqueue('/v1/chat/completions', errorAnswer(429, 'Slow down', { 'retry-after': '0' }));
    const limited = await client.messages.create({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(String((limited as Error).message)).toContain('Slow down');

    const serverTool = await client.messages.create({
      model: 'claude-x',
      max_tokens: 5,
      tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      messages: [{ role: 'user', content: 'x' }],
    }).catch((e: unknown) => e);
    expect(serverTool).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((serverTool as Error).message)).toMatch(/web_search.*specific to anthropic/);
  });

  it('reports an upstream that drops mid-stream as an in-band error event', async () => {
    upstream.enqueue('/v1/chat/completions', dropMidStream(2));
    const events = await rawStream(harness, { model: 'claude-x', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
    expect(events[0]!.event).toBe('message_start');
    expect(events.at(-1)!.event).toBe('error');
    expect(events.at(-1)!.data).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(events.some((e) => e.event === 'message_stop')).toBe(false);

    upstream.enqueue('/v1/chat/completions', dropMidStream(2));
    const failure = await client.messages.stream({ model: 'claude-x', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
  });
});
