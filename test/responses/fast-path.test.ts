import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { responsesAnswer, responsesFailure, startFakeResponses, type FakeResponses } from '../fixtures/fake-responses-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { parseSseEvents, postResponses } from './sse-events.ts';

const shellTool = { type: 'function' as const, name: 'exec_command', strict: false, parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] } };

describe('Responses clients on a provider that offers /v1/responses (same-dialect fast path)', () => {
  let upstream: FakeResponses;
  let harness: Harness;
  let client: OpenAI;

  beforeEach(async () => {
    upstream = await startFakeResponses();
    harness = await startGateway({
      providers: [{ id: 'oai', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-responses-upstream'], options: { supportsResponses: true } }],
      aliases: [{ alias: 'gpt', targets: [{ provider: 'oai', model: 'gpt-fake', overrides: { maxTokens: 900 } }] }],
    });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('forwards the body with only the model (and alias overrides) rewritten, and returns the upstream object untouched', async () => {
    const body = { model: 'gpt', input: 'Hi', instructions: 'Be brief.', include: ['reasoning.encrypted_content' as const], prompt_cache_key: 'abc', reasoning: { summary: 'auto' as const } };
    const response = await client.responses.create(body);
    expect(response.id).toMatch(/^resp_fake/);
    expect(response.output_text).toBe('Hello from responses');
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/responses');
    expect(sent.headers.authorization).toBe('Bearer sk-responses-upstream');
    expect(sent.body).toEqual({ ...body, model: 'gpt-fake', max_output_tokens: 900 });
  });

  it('streams the upstream events through byte for byte and records usage from response.completed', async () => {
    upstream.enqueue(responsesAnswer([{ type: 'reasoning', summary: ['Thinking.'], encrypted: 'gAAAA-opaque' }, { type: 'message', parts: ['Hel', 'lo'] }], { usage: { input: 40, output: 12 } }));
    const { text, headers } = await postResponses(harness.baseUrl, harness.token, { model: 'gpt', input: 'Hi', stream: true });
    expect(headers.get('content-type')).toContain('text/event-stream');
    const events = parseSseEvents(text);
    expect(events[0]!.event).toBe('response.created');
    expect(events.at(-1)!.event).toBe('response.completed');
    expect(events.find((e) => e.event === 'response.output_item.done')!.data.item.encrypted_content).toBe('gAAAA-opaque');
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, index) => index));
    await new Promise((resolve) => setTimeout(resolve, 20));
    harness.gateway.flushHistory();
    const row = (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
    expect(row).toMatchObject({ dialect: 'responses', provider: 'oai', upstreamModel: 'gpt-fake', inputTokens: 40, outputTokens: 12, status: 200, errorCode: null });
  });

  it('runs a tool over several turns with the SDK stream helper, as Codex does with store: false', async () => {
    upstream.enqueue(responsesAnswer([{ type: 'function_call', callId: 'call_ls', name: 'exec_command', fragments: ['{"cmd":', '"ls"}'] }]));
    const first = await client.responses.stream({ model: 'gpt', input: 'List files', tools: [shellTool], store: false }).finalResponse();
    expect(first.output[0]).toMatchObject({ type: 'function_call', call_id: 'call_ls', arguments: '{"cmd":"ls"}' });
    upstream.enqueue(responsesAnswer([{ type: 'message', parts: ['Two files.'] }]));
    const second = await client.responses.stream({
      model: 'gpt',
      store: false,
      tools: [shellTool],
      input: [{ role: 'user', content: 'List files' }, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: 'call_ls', output: 'a.txt\nb.txt' }],
    }).finalResponse();
    expect(second.output_text).toBe('Two files.');
    expect((upstream.requests.at(-1)!.body!.input as unknown[]).length).toBe(3);
    await expect(client.responses.retrieve(second.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('keeps stored responses, so previous_response_id works even after falling back to another provider; unknown ids go to the upstream', async () => {
    const first = await client.responses.create({ model: 'gpt', input: 'Remember 42.' });
    expect((await client.responses.retrieve(first.id)).output_text).toBe('Hello from responses');
    upstream.enqueue(responsesAnswer([{ type: 'message', parts: ['42.'] }]));
    const second = await client.responses.create({ model: 'gpt', previous_response_id: first.id, input: 'What number?' });
    expect(second.output_text).toBe('42.');
    const sent = upstream.requests.at(-1)!.body!;
    expect(sent.previous_response_id).toBeUndefined();
    expect((sent.input as Array<Record<string, unknown>>).map((item) => item.type ?? item.role)).toEqual(['message', 'message', 'message']);

    const unknown = await client.responses.create({ model: 'gpt', previous_response_id: 'resp_only_upstream_knows', input: 'Hi' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.BadRequestError);
    expect((unknown as Error).message).toContain("Previous response with id 'resp_only_upstream_knows' not found");
    expect(upstream.requests.at(-1)!.body!.previous_response_id).toBe('resp_only_upstream_knows');
  });

  it('passes an upstream failure through and ends a dropped stream with error + response.failed', async () => {
    upstream.enqueue(responsesFailure('server_error', 'The model crashed'));
    const failedAnswer = await postResponses(harness.baseUrl, harness.token, { model: 'gpt', input: 'Hi', stream: true });
    const failed = parseSseEvents(failedAnswer.text);
    expect(failed.map((e) => e.event)).toEqual(['response.created', 'error', 'response.failed']);
    expect(failedAnswer.cut).toBe(true);

    upstream.enqueue(responsesAnswer([{ type: 'message', parts: ['Hi'] }, { type: 'message', parts: ['never'] }], { dropAfterItems: 1 }));
    const droppedAnswer = await postResponses(harness.baseUrl, harness.token, { model: 'gpt', input: 'Hi', stream: true });
    expect(droppedAnswer.cut).toBe(true);
    const dropped = parseSseEvents(droppedAnswer.text);
    expect(dropped.slice(-2).map((e) => e.event)).toEqual(['error', 'response.failed']);
    expect(dropped.at(-1)!.data.response).toMatchObject({ status: 'failed', error: { code: 'upstream_disconnected' } });
    const numbers = dropped.map((e) => e.data.sequence_number);
    expect(numbers).toEqual(numbers.map((_, index) => index));
  });

  it('sends Responses requests to a provider without the switch through Chat Completions translation', async () => {
    await harness.gateway.control.updateProvider({ id: 'oai', options: { supportsResponses: false } });
    const error = await client.responses.create({ model: 'gpt', input: 'Hi' }).catch((e: unknown) => e);
    expect(upstream.requests.at(-1)!.path).toBe('/v1/chat/completions');
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });
});
