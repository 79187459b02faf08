import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropMidStream, startFakeOpenAi, textAnswer, toolCallAnswer, type FakeOpenAi, type Responder } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { parseSseEvents, postResponses } from './sse-events.ts';

const weatherTool = { type: 'function' as const, name: 'get_weather', description: 'Weather for a city', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const timeTool = { type: 'function' as const, name: 'get_time', strict: false, parameters: { type: 'object', properties: { tz: { type: 'string' } } } };

/** A chat answer cut by max_tokens (finish_reason "length"). */
const lengthCut: Responder = (_req, res, body) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'chatcmpl-cut', object: 'chat.completion', created: 1, model: body?.model, choices: [{ index: 0, message: { role: 'assistant', content: 'Once upon' }, finish_reason: 'length' }], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } }));
};

describe('Responses clients on a provider reached through Chat Completions translation', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let client: OpenAI;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'chatonly', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-chat-upstream'] }],
      aliases: [{ alias: 'codex-model', targets: [{ provider: 'chatonly', model: 'fake-large' }] }],
    });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('answers a non-streaming response with a message item, usage and the upstream model, sending instructions as the system prompt', async () => {
    const response = await client.responses.create({ model: 'codex-model', instructions: 'Be brief.', input: 'Hi' });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Hello from fake');
    expect(response.id).toMatch(/^resp_/);
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(response.usage).toMatchObject({ input_tokens: 11, output_tokens: 7, total_tokens: 18 });
    const sent = upstream.requests.at(-1)!.body!;
    expect(sent.model).toBe('fake-large');
    expect(sent.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
  });

  it('streams events in the exact order strict clients expect, each with event and data lines and a running sequence number', async () => {
    upstream.enqueue('/v1/chat/completions', textAnswer(['Hel', 'lo']));
    const { status, text } = await postResponses(harness.baseUrl, harness.token, { model: 'codex-model', input: 'Hi', stream: true });
    expect(status).toBe(200);
    const events = parseSseEvents(text);
    expect(events.map((e) => e.event)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.content_part.added',
      'response.output_text.delta', 'response.output_text.delta',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.completed',
    ]);
    for (const [index, event] of events.entries()) {
      expect(event.data.type).toBe(event.event);
      expect(event.data.sequence_number).toBe(index);
    }
    const completed = events.at(-1)!.data.response;
    expect(completed).toMatchObject({ status: 'completed', usage: { input_tokens: 11, output_tokens: 7, total_tokens: 18 } });
    expect(completed.output[0].content[0].text).toBe('Hello');
    expect(events[2]!.data.item.id).toBe(events[4]!.data.item_id);
  });

  it('streams parallel tool calls as one complete item after another even when the upstream interleaves their arguments', async () => {
    upstream.enqueue('/v1/chat/completions', toolCallAnswer([
      { id: 'call_a', name: 'get_weather', fragments: ['{"city":', '"Paris"}'] },
      { id: 'call_b', name: 'get_time', fragments: ['{"tz":"', 'CET"}'] },
    ]));
    const { text } = await postResponses(harness.baseUrl, harness.token, { model: 'codex-model', input: 'Weather and time?', tools: [weatherTool, timeTool], stream: true });
    const events = parseSseEvents(text);
    const perItem = events.filter((e) => 'output_index' in e.data).map((e) => `${e.data.output_index}:${e.event}`);
    expect(perItem).toEqual([
      '0:response.output_item.added', '0:response.function_call_arguments.delta', '0:response.function_call_arguments.delta',
      '0:response.function_call_arguments.done', '0:response.output_item.done',
      '1:response.output_item.added', '1:response.function_call_arguments.delta',
      '1:response.function_call_arguments.done', '1:response.output_item.done',
    ]);
    const done = events.filter((e) => e.event === 'response.output_item.done').map((e) => e.data.item);
    expect(done.map((item) => [item.type, item.call_id, item.name, JSON.parse(item.arguments), item.status])).toEqual([
      ['function_call', 'call_a', 'get_weather', { city: 'Paris' }, 'completed'],
      ['function_call', 'call_b', 'get_time', { tz: 'CET' }, 'completed'],
    ]);
    expect(events.at(-1)!.event).toBe('response.completed');
  });

  it('runs a function tool over several turns with the SDK stream helper, replaying the whole input each turn (store: false, as Codex does)', async () => {
    upstream.enqueue('/v1/chat/completions', toolCallAnswer([{ id: 'call_w', name: 'get_weather', fragments: ['{"city":"Oslo"}'] }]));
    const first = await client.responses.stream({ model: 'codex-model', input: 'Weather in Oslo?', tools: [weatherTool], store: false }).finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', call_id: 'call_w', name: 'get_weather', arguments: '{"city":"Oslo"}' });

    upstream.enqueue('/v1/chat/completions', textAnswer(['It is ', 'sunny.']));
    const input: OpenAI.Responses.ResponseInput = [
      { role: 'user', content: 'Weather in Oslo?' },
      ...(first.output as OpenAI.Responses.ResponseInputItem[]),
      { type: 'function_call_output', call_id: 'call_w', output: '{"sky":"clear"}' },
    ];
    const second = await client.responses.stream({ model: 'codex-model', input, tools: [weatherTool], store: false }).finalResponse();
    expect(second.output_text).toBe('It is sunny.');
    expect(upstream.requests.at(-1)!.body!.messages).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'call_w', content: '{"sky":"clear"}' },
    ]);
    await expect(client.responses.retrieve(second.id)).rejects.toMatchObject({ status: 404 });
  });

  it('continues a conversation from previous_response_id, rebuilding the earlier turns for the upstream', async () => {
    upstream.enqueue('/v1/chat/completions', toolCallAnswer([{ id: 'call_1', name: 'get_weather', fragments: ['{"city":"Rome"}'] }]));
    const first = await client.responses.create({ model: 'codex-model', instructions: 'You are a weather bot.', input: 'Weather in Rome?', tools: [weatherTool] });
    upstream.enqueue('/v1/chat/completions', textAnswer(['Warm.']));
    const second = await client.responses.create({
      model: 'codex-model',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_1', output: '25°C' }],
      tools: [weatherTool],
    });
    expect(second.output_text).toBe('Warm.');
    expect(second.previous_response_id).toBe(first.id);
    upstream.enqueue('/v1/chat/completions', textAnswer(['Bye.']));
    const third = await client.responses.stream({ model: 'codex-model', previous_response_id: second.id, input: 'Thanks!' }).finalResponse();
    expect(third.output_text).toBe('Bye.');
    // Instructions belong to their own request (as at OpenAI); the turns are rebuilt in order.
    expect(upstream.requests.at(-1)!.body!.messages).toEqual([
      { role: 'user', content: 'Weather in Rome?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '25°C' },
      { role: 'assistant', content: 'Warm.' },
      { role: 'user', content: 'Thanks!' },
    ]);
    const kept = await client.responses.retrieve(third.id);
    expect(kept.output_text).toBe('Bye.');
  });

  it('refuses an unknown previous_response_id with a 404 that names it, without calling the upstream', async () => {
    const chatCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions').length;
    const before = chatCalls();
    const error = await client.responses.create({ model: 'codex-model', previous_response_id: 'resp_nope', input: 'Hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('response_not_found');
    expect((error as Error).message).toContain('resp_nope');
    expect(chatCalls()).toBe(before);
  });

  it('reports a token-limit cut as an incomplete response with the reason', async () => {
    upstream.enqueue('/v1/chat/completions', lengthCut);
    const response = await client.responses.create({ model: 'codex-model', input: 'Tell a story', max_output_tokens: 2 });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(upstream.requests.at(-1)!.body!.max_tokens).toBe(2);
  });

  it('ends a stream whose upstream dropped mid-answer with an error event and response.failed, never a bare EOF', async () => {
    upstream.enqueue('/v1/chat/completions', dropMidStream(2));
    const { text, cut } = await postResponses(harness.baseUrl, harness.token, { model: 'codex-model', input: 'Hi', stream: true });
    expect(cut).toBe(true);
    const events = parseSseEvents(text);
    expect(events.slice(-2).map((e) => e.event)).toEqual(['error', 'response.failed']);
    expect(events.at(-1)!.data.response).toMatchObject({ status: 'failed', error: { code: 'upstream_disconnected' } });
    expect(events.at(-1)!.data.response.output[0].type).toBe('message');
    const numbers = events.map((e) => e.data.sequence_number);
    expect(numbers).toEqual(numbers.map((_, index) => index));
  });

  it('passes json_schema text formats, reasoning effort and sampling parameters to the chat upstream', async () => {
    upstream.enqueue('/v1/chat/completions', textAnswer(['{"ok":true}']));
    const response = await client.responses.create({
      model: 'codex-model',
      input: 'Give JSON',
      temperature: 0.3,
      reasoning: { effort: 'low' },
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { ok: { type: 'boolean' } } }, strict: true } },
    });
    expect(response.output_text).toBe('{"ok":true}');
    expect(upstream.requests.at(-1)!.body).toMatchObject({
      temperature: 0.3,
      reasoning_effort: 'low',
      response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true } },
    });
  });

  it('keeps responses unless store is false, and deletes one on request', async () => {
    const kept = await client.responses.create({ model: 'codex-model', input: 'Hi' });
    expect((await client.responses.retrieve(kept.id)).output_text).toBe('Hello from fake');
    await client.responses.delete(kept.id);
    await expect(client.responses.retrieve(kept.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const unkept = await client.responses.create({ model: 'codex-model', input: 'Hi', store: false });
    await expect(client.responses.retrieve(unkept.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('records the request in the history with the responses dialect, tokens and time to first token', async () => {
    const stream = await client.responses.create({ model: 'codex-model', input: 'Hi', stream: true });
    for await (const _ of stream) void _;
    await new Promise((resolve) => setTimeout(resolve, 20));
    harness.gateway.flushHistory();
    const page = await harness.gateway.control.queryHistory({ limit: 1 });
    expect(page.rows[0]).toMatchObject({ dialect: 'responses', endpoint: '/v1/responses', requestedModel: 'codex-model', provider: 'chatonly', status: 200, stream: true, inputTokens: 11, outputTokens: 7, errorCode: null });
    expect(page.rows[0]!.ttftMs).not.toBeNull();
  });
});
