import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { geminiText, geminiToolCalls, startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { parseSseEvents, postResponses } from './sse-events.ts';

const shellTool = { type: 'function' as const, name: 'exec_command', strict: false, parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] } };

describe('Responses clients on an Anthropic provider', () => {
  let upstream: FakeAnthropic;
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('streams thinking as a reasoning item whose encrypted_content brings the Anthropic signature back on the next turn (store: false)', async () => {
    upstream = await startFakeAnthropic();
    harness = await startGateway({
      providers: [{ id: 'claude', kind: 'anthropic', baseUrl: upstream.baseUrl, keys: ['sk-ant-upstream'] }],
      aliases: [{ alias: 'codex-model', targets: [{ provider: 'claude', model: 'claude-fake-1' }] }],
    });
    upstream.enqueue('/v1/messages', messageAnswer({
      blocks: [{ type: 'thinking', chunks: ['I should ', 'list files.'], signature: 'sig-anthropic-1' }, { type: 'tool_use', id: 'toolu_1', name: 'exec_command', fragments: ['{"cmd":', '"ls"}'] }],
      stopReason: 'tool_use',
    }));
    const body = { model: 'codex-model', input: [{ role: 'user', content: 'List files' }], tools: [shellTool], reasoning: { effort: 'medium', summary: 'auto' }, include: ['reasoning.encrypted_content'], store: false, stream: true };
    const events = parseSseEvents((await postResponses(harness.baseUrl, harness.token, body)).text);
    expect(events.map((e) => e.event)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done',
      'response.completed',
    ]);
    const [reasoning, call] = events.filter((e) => e.event === 'response.output_item.done').map((e) => e.data.item);
    expect(reasoning).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'I should list files.' }] });
    expect(reasoning.encrypted_content).toContain('sig-anthropic-1');
    expect(call).toMatchObject({ type: 'function_call', call_id: 'toolu_1', name: 'exec_command', arguments: '{"cmd":"ls"}' });
    expect(events.at(-1)!.data.response.usage).toMatchObject({ input_tokens: 25, output_tokens: 9, total_tokens: 34 });

    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['Two files.'] }] }));
    const replay = { ...body, input: [...body.input, reasoning, call, { type: 'function_call_output', call_id: 'toolu_1', output: 'a\nb' }] };
    const second = parseSseEvents((await postResponses(harness.baseUrl, harness.token, replay)).text);
    expect(second.at(-1)!.event).toBe('response.completed');
    const messages = upstream.requests.at(-1)!.body!.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should list files.', signature: 'sig-anthropic-1' },
        { type: 'tool_use', id: 'toolu_1', name: 'exec_command', input: { cmd: 'ls' } },
      ],
    });
    expect(messages[2]!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_1' });
  });

  it('answers non-streaming requests and continues from previous_response_id with the SDK', async () => {
    upstream = await startFakeAnthropic();
    harness = await startGateway({
      providers: [{ id: 'claude', kind: 'anthropic', baseUrl: upstream.baseUrl, keys: ['sk-ant-upstream'] }],
      aliases: [{ alias: 'codex-model', targets: [{ provider: 'claude', model: 'claude-fake-1' }] }],
    });
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'tool_use', id: 'toolu_9', name: 'exec_command', fragments: ['{"cmd":"pwd"}'] }], stopReason: 'tool_use' }));
    const first = await client.responses.create({ model: 'codex-model', instructions: 'Use the shell.', input: 'Where am I?', tools: [shellTool] });
    expect(first.output[0]).toMatchObject({ type: 'function_call', call_id: 'toolu_9', arguments: '{"cmd":"pwd"}' });
    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['In /work.'] }] }));
    const second = await client.responses.stream({ model: 'codex-model', previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: 'toolu_9', output: '/work' }], tools: [shellTool] }).finalResponse();
    expect(second.output_text).toBe('In /work.');
    const sent = upstream.requests.at(-1)!.body!;
    expect((sent.messages as unknown[]).length).toBe(3);
    expect(sent.system).toBeUndefined();
  });
});

describe('Responses clients on a Gemini provider', () => {
  let upstream: FakeGemini;
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('runs a function tool over two turns with the SDK, streaming, and keeps the thought signature Gemini 3 requires', async () => {
    upstream = await startFakeGemini({ requireSignatures: true });
    harness = await startGateway({
      providers: [{ id: 'gem', kind: 'gemini', baseUrl: upstream.origin, keys: [upstream.apiKey] }],
      aliases: [{ alias: 'codex-model', targets: [{ provider: 'gem', model: 'gemini-3-pro-preview' }] }],
    });
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    upstream.enqueue('streamGenerateContent', geminiToolCalls([{ name: 'exec_command', args: { cmd: 'ls' }, signature: 'gem-sig-1' }], { thought: 'Listing.' }));
    const first = await client.responses.stream({ model: 'codex-model', input: 'List files', tools: [shellTool], store: false }).finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'exec_command', arguments: '{"cmd":"ls"}' });
    expect(first.output.some((item) => item.type === 'reasoning')).toBe(true);

    upstream.enqueue('streamGenerateContent', geminiText(['Files: a, b.']));
    const second = await client.responses.stream({
      model: 'codex-model', store: false, tools: [shellTool],
      input: [{ role: 'user', content: 'List files' }, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: (call as { call_id: string }).call_id, output: 'a\nb' }],
    }).finalResponse();
    expect(second.output_text).toBe('Files: a, b.');
    const contents = upstream.requests.filter((request) => request.operation === 'streamGenerateContent').at(-1)!.body!.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>;
    const modelTurn = contents.find((content) => content.role === 'model')!;
    expect(modelTurn.parts.find((part) => part.functionCall)).toMatchObject({ functionCall: { name: 'exec_command', args: { cmd: 'ls' } }, thoughtSignature: 'gem-sig-1' });
    expect(contents.at(-1)!.parts[0]).toMatchObject({ functionResponse: { name: 'exec_command' } });
  });
});
