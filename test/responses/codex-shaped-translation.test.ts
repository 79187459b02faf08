import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, textAnswer, toolCallAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { parseSseEvents, postResponses } from './sse-events.ts';

/** The tool list Codex CLI 0.169.0 sends (trimmed): functions, a namespace, a custom tool, a hosted tool. */
const codexTools = [
  { type: 'function', name: 'exec_command', description: 'Runs a command in a PTY.', strict: false, parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'], additionalProperties: false } },
  { type: 'namespace', name: 'multi_agent_v1', description: 'Tools for sub-agents.', tools: [{ type: 'function', name: 'close_agent', strict: false, parameters: { type: 'object', properties: { id: { type: 'string' } } } }] },
  { type: 'custom', name: 'apply_patch', description: 'Edit files.', format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch" /.+/s' } },
  { type: 'web_search', external_web_access: false },
];

function codexBody(input: unknown[]): Record<string, unknown> {
  return {
    model: 'codex-model', instructions: '', input, tools: codexTools, tool_choice: 'auto', parallel_tool_calls: true,
    reasoning: { summary: 'auto' }, store: false, stream: true, include: ['reasoning.encrypted_content'], prompt_cache_key: 'session-1',
    client_metadata: { session_id: 'session-1' },
  };
}

const firstTurn = [
  { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are a coding agent.' }] },
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>cwd=/w</environment_context>' }] },
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Fix the bug.' }] },
];

describe('a Codex-shaped Responses request translated for a Chat Completions provider', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'chatonly', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-chat-upstream'] }],
      aliases: [{ alias: 'codex-model', targets: [{ provider: 'chatonly', model: 'fake-large' }] }],
    });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('offers functions, namespaced functions and wrapped custom tools, drops the merely offered web_search and says so', async () => {
    const { status, headers, text } = await postResponses(harness.baseUrl, harness.token, codexBody(firstTurn));
    expect(status).toBe(200);
    expect(headers.get('x-switchboard-dropped')).toBe('web_search');
    expect(parseSseEvents(text).at(-1)!.event).toBe('response.completed');
    const sent = upstream.requests.at(-1)!.body!;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You are a coding agent.' },
      { role: 'user', content: '<environment_context>cwd=/w</environment_context>' },
      { role: 'user', content: 'Fix the bug.' },
    ]);
    const tools = sent.tools as Array<{ function: { name: string; description?: string; parameters: unknown } }>;
    expect(tools.map((tool) => tool.function.name)).toEqual(['exec_command', 'multi_agent_v1__close_agent', 'apply_patch']);
    expect(tools[2]!.function.parameters).toMatchObject({ type: 'object', properties: { input: { type: 'string' } }, required: ['input'] });
    expect(tools[2]!.function.description).toContain('*** Begin Patch');
    expect(sent).toMatchObject({ tool_choice: 'auto', parallel_tool_calls: true, stream: true });
    for (const field of ['store', 'include', 'prompt_cache_key', 'client_metadata', 'input', 'instructions']) expect(sent).not.toHaveProperty(field);

    const plain = await postResponses(harness.baseUrl, harness.token, { ...codexBody(firstTurn), stream: false });
    expect(plain.headers.get('x-switchboard-dropped')).toBe('web_search');
    expect(JSON.parse(plain.text)).toMatchObject({ object: 'response', status: 'completed', store: false });
  });

  it('answers custom and namespaced tool calls in the shape Codex reads, and takes them back on the next turn', async () => {
    upstream.enqueue('/v1/chat/completions', toolCallAnswer([
      { id: 'call_patch', name: 'apply_patch', fragments: ['{"input":"*** Begin Patch\\n', '*** End Patch"}'] },
      { id: 'call_close', name: 'multi_agent_v1__close_agent', fragments: ['{"id":"a1"}'] },
    ]));
    const events = parseSseEvents((await postResponses(harness.baseUrl, harness.token, codexBody(firstTurn))).text);
    const items = events.filter((e) => e.event === 'response.output_item.done').map((e) => e.data.item);
    expect(items).toMatchObject([
      { type: 'custom_tool_call', call_id: 'call_patch', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch', status: 'completed' },
      { type: 'function_call', call_id: 'call_close', name: 'close_agent', namespace: 'multi_agent_v1', arguments: '{"id":"a1"}', status: 'completed' },
    ]);
    expect(events.some((e) => e.event === 'response.custom_tool_call_input.done' && e.data.input === '*** Begin Patch\n*** End Patch')).toBe(true);

    upstream.enqueue('/v1/chat/completions', textAnswer(['Done.']));
    const secondTurn = [
      ...firstTurn,
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Plan the patch.' }], encrypted_content: 'gAAAAB-openai-only' },
      ...items,
      { type: 'custom_tool_call_output', call_id: 'call_patch', output: 'Success.' },
      { type: 'function_call_output', call_id: 'call_close', output: '{"status":"closed"}' },
    ];
    const second = parseSseEvents((await postResponses(harness.baseUrl, harness.token, codexBody(secondTurn))).text);
    expect(second.at(-1)!.event).toBe('response.completed');
    const messages = upstream.requests.at(-1)!.body!.messages as Array<Record<string, unknown>>;
    expect(messages.slice(3)).toEqual([
      {
        role: 'assistant', content: null, reasoning_content: 'Plan the patch.',
        tool_calls: [
          { id: 'call_patch', type: 'function', function: { name: 'apply_patch', arguments: JSON.stringify({ input: '*** Begin Patch\n*** End Patch' }) } },
          { id: 'call_close', type: 'function', function: { name: 'multi_agent_v1__close_agent', arguments: '{"id":"a1"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_patch', content: 'Success.' },
      { role: 'tool', tool_call_id: 'call_close', content: '{"status":"closed"}' },
    ]);
    expect(JSON.stringify(messages)).not.toContain('gAAAAB-openai-only');
  });

  it('fails clearly when tool_choice forces a hosted tool that only OpenAI runs', async () => {
    const { status, text } = await postResponses(harness.baseUrl, harness.token, { ...codexBody(firstTurn), stream: false, tool_choice: { type: 'web_search' } });
    expect(status).toBe(400);
    expect(JSON.parse(text).error).toMatchObject({ code: 'unsupported_feature', param: 'tool_choice' });
    expect(JSON.parse(text).error.message).toContain('web_search');
  });
});
