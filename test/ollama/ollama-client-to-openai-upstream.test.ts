import { Ollama } from 'ollama';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropMidStream, errorAnswer, startFakeOpenAi, textAnswer, toolCallAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('the ollama npm client through Switchboard to an OpenAI-compatible provider', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let ollama: Ollama;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream-key-1'] }],
      aliases: [
        { alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }], metadata: { contextWindow: 200_000, maxOutputTokens: 32_000, capabilities: ['completion', 'tools', 'vision'] } },
        { alias: 'gpt-4o', targets: [{ provider: 'fake', model: 'gpt-4o' }] },
        { alias: 'embedder', targets: [{ provider: 'fake', model: 'text-embedding-3-small' }] },
      ],
    });
    await harness.gateway.control.refreshModels({});
    ollama = new Ollama({ host: harness.origin });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('reports a version VS Code Copilot accepts and says Ollama is running', async () => {
    const { version } = await ollama.version();
    const [major, minor, patch] = version.split('.').map(Number);
    expect(major! * 1_000_000 + minor! * 1_000 + patch!).toBeGreaterThanOrEqual(6_004);
    const root = await fetch(`${harness.origin}/`);
    expect(await root.text()).toBe('Ollama is running');
    const head = await fetch(`${harness.origin}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('lists aliases and discovered models with the :latest tag, digest and details', async () => {
    const { models } = await ollama.list();
    const names = models.map((model) => model.name);
    expect(names).toEqual(expect.arrayContaining(['coder:latest', 'gpt-4o:latest', 'fake/fake-large:latest', 'fake/fake-small:latest']));
    const coder = models.find((model) => model.name === 'coder:latest')!;
    expect(coder.model).toBe('coder:latest');
    expect(coder.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(coder.details.families).toEqual([coder.details.family]);
    expect(new Date(coder.modified_at).getTime()).toBeGreaterThan(0);
  });

  it('shows capabilities, context length and num_ctx from alias metadata, for name or name:latest', async () => {
    for (const model of ['coder', 'coder:latest']) {
      const show = await ollama.show({ model });
      expect(show.capabilities).toEqual(['completion', 'tools', 'vision']);
      const info = show.model_info as unknown as Record<string, unknown>;
      const arch = info['general.architecture'] as string;
      expect(info[`${arch}.context_length`]).toBe(200_000);
      expect(info['general.basename']).toBe('coder');
      expect(show.parameters).toMatch(/^num_ctx\s+200000$/m);
      expect(typeof show.template).toBe('string');
    }
  });

  it('falls back to built-in family defaults when an alias sets no metadata', async () => {
    const show = await ollama.show({ model: 'gpt-4o:latest' });
    expect(show.capabilities).toEqual(expect.arrayContaining(['tools', 'vision']));
    const info = show.model_info as unknown as Record<string, unknown>;
    expect(info[`${info['general.architecture'] as string}.context_length`]).toBe(128_000);
  });

  it('answers an unknown model with a 404 in Ollama error shape', async () => {
    await expect(ollama.show({ model: 'nope' })).rejects.toMatchObject({ status_code: 404, error: expect.stringContaining('"nope" does not exist') });
    await expect(ollama.chat({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status_code: 404 });
  });

  it('chats without streaming, mapping options onto the upstream request', async () => {
    const response = await ollama.chat({
      model: 'coder:latest',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      options: { temperature: 0.2, top_p: 0.9, top_k: 40, num_predict: 256, num_ctx: 32_768, stop: ['</s>'], seed: 7, presence_penalty: 0.5, frequency_penalty: 0.25 },
      keep_alive: '10m',
    });
    expect(response.message).toMatchObject({ role: 'assistant', content: 'Hello from fake' });
    expect(response).toMatchObject({ model: 'coder:latest', done: true, done_reason: 'stop', prompt_eval_count: 11, eval_count: 7 });
    expect(response.total_duration).toBeGreaterThan(0);
    const seen = upstream.requests.at(-1)!.body!;
    expect(seen).toMatchObject({
      model: 'fake-large',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      temperature: 0.2, top_p: 0.9, max_tokens: 256, stop: ['</s>'], seed: 7, presence_penalty: 0.5, frequency_penalty: 0.25,
    });
    expect(seen).not.toHaveProperty('keep_alive');
  });

  it('streams NDJSON lines the client assembles, ending with done, done_reason, counts and durations', async () => {
    upstream.enqueue('/v1/chat/completions', textAnswer(['Hel', 'lo'], { usage: { prompt: 5, completion: 2 } }));
    const stream = await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const parts = [];
    for await (const part of stream) parts.push(part);
    expect(parts.map((part) => part.message.content).join('')).toBe('Hello');
    const last = parts.at(-1)!;
    expect(last).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 5, eval_count: 2 });
    for (const field of ['total_duration', 'prompt_eval_duration', 'eval_duration'] as const) expect(Number.isInteger(last[field]) && last[field] > 0).toBe(true);
    expect(last.total_duration).toBeGreaterThanOrEqual(last.eval_duration);
    expect(parts.slice(0, -1).every((part) => part.done === false)).toBe(true);
  });

  it('streams when the request leaves "stream" out, as Ollama does', async () => {
    const response = await fetch(`${harness.origin}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
    expect(lines[0]).toMatchObject({ model: 'coder', message: { role: 'assistant' }, done: false });
    expect(typeof lines[0]!.created_at).toBe('string');
  });

  it('sends tools and returns tool calls with object arguments and done_reason "stop"', async () => {
    upstream.enqueue('/v1/chat/completions', toolCallAnswer([{ id: 'call_a', name: 'get_weather', fragments: ['{"city":', '"Paris"}'] }]));
    const response = await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool] });
    expect(response.done_reason).toBe('stop');
    expect(response.message.tool_calls).toEqual([{ id: 'call_a', function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } } }]);
    expect(upstream.requests.at(-1)!.body!.tools).toEqual([weatherTool]);
  });

  it('streams parallel tool calls whole, in one line, after the arguments are complete', async () => {
    upstream.enqueue('/v1/chat/completions', toolCallAnswer([
      { id: 'call_a', name: 'get_weather', fragments: ['{"city":', '"Paris"}'] },
      { id: 'call_b', name: 'get_time', fragments: ['{"tz":"', 'CET"}'] },
    ]));
    const stream = await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'Weather and time?' }], tools: [weatherTool], stream: true });
    const withCalls = [];
    let last;
    for await (const part of stream) {
      if (part.message.tool_calls) withCalls.push(part.message.tool_calls);
      last = part;
    }
    expect(withCalls).toHaveLength(1);
    expect(withCalls[0]!.map((call) => [call.function.name, call.function.arguments])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', { tz: 'CET' }],
    ]);
    expect(last).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 30, eval_count: 12 });
  });

  it('sends a tool-call history with object arguments and tool results as the upstream expects', async () => {
    await ollama.chat({
      model: 'coder',
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }, { function: { name: 'get_weather', arguments: { city: 'Rome' } } }] },
        { role: 'tool', content: '18C', tool_name: 'get_weather' },
        { role: 'tool', content: '24C', tool_name: 'get_weather' },
      ],
      tools: [weatherTool],
    });
    const messages = upstream.requests.at(-1)!.body!.messages as Array<Record<string, unknown>>;
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
      ],
    });
    expect(messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'call_0', content: '18C' },
      { role: 'tool', tool_call_id: 'call_1', content: '24C' },
    ]);
  });

  it('passes base64 images on as data URLs', async () => {
    await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'What is this?', images: [PNG] }] });
    const user = (upstream.requests.at(-1)!.body!.messages as Array<{ content: unknown }>)[0]!;
    expect(user.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
    ]);
  });

  it('maps format "json" and a JSON-schema format onto response_format', async () => {
    await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'JSON please' }], format: 'json' });
    expect(upstream.requests.at(-1)!.body!.response_format).toEqual({ type: 'json_object' });
    const schema = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };
    await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'Age?' }], format: schema });
    expect(upstream.requests.at(-1)!.body!.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema } });
  });

  it('maps a think level onto the reasoning effort', async () => {
    await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'Think' }], think: 'high' });
    expect(upstream.requests.at(-1)!.body!.reasoning_effort).toBe('high');
  });

  it('generates from a prompt and system, streaming "response" lines', async () => {
    upstream.enqueue('/v1/chat/completions', textAnswer(['def ', 'add']));
    const stream = await ollama.generate({ model: 'coder', prompt: 'Write add', system: 'Python only', stream: true });
    const parts = [];
    for await (const part of stream) parts.push(part);
    expect(parts.map((part) => part.response).join('')).toBe('def add');
    expect(parts.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
    expect(upstream.requests.at(-1)!.body!.messages).toEqual([{ role: 'system', content: 'Python only' }, { role: 'user', content: 'Write add' }]);
  });

  it('turns a fill-in-the-middle generate into an instruction with prefix and suffix', async () => {
    const response = await ollama.generate({ model: 'coder', prompt: 'def add(a, b):\n    ', suffix: '\n\nprint(add(1, 2))', raw: true });
    expect(response.response).toBe('Hello from fake');
    const messages = upstream.requests.at(-1)!.body!.messages as Array<{ role: string; content: string }>;
    expect(messages[0]!.role).toBe('system');
    expect(messages[1]!.content).toBe('<prefix>def add(a, b):\n    </prefix>\n<suffix>\n\nprint(add(1, 2))</suffix>');
  });

  it('answers an empty generate prompt as a model load without calling the provider', async () => {
    const before = upstream.requests.length;
    const response = await ollama.generate({ model: 'coder', prompt: '' });
    expect(response).toMatchObject({ done: true, done_reason: 'load', response: '' });
    const unload = await ollama.generate({ model: 'coder', prompt: '', keep_alive: 0 });
    expect(unload.done_reason).toBe('unload');
    expect(upstream.requests.length).toBe(before);
  });

  it('embeds with /api/embed and the legacy /api/embeddings', async () => {
    const embedded = await ollama.embed({ model: 'embedder', input: ['a', 'b'] });
    expect(embedded.embeddings).toEqual([[0.25, -0.5, 1.5], [1.25, -0.5, 1.5]]);
    expect(embedded.prompt_eval_count).toBe(4);
    expect(upstream.requests.at(-1)!.body).toMatchObject({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    const legacy = await ollama.embeddings({ model: 'embedder', prompt: 'a' });
    expect(legacy.embedding).toEqual([0.25, -0.5, 1.5]);
  });

  it('lists recently used models in /api/ps with their context length', async () => {
    await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] });
    const { models } = await ollama.ps();
    expect(models).toEqual([expect.objectContaining({ name: 'coder:latest', model: 'coder:latest', size_vram: 0 })]);
    expect((models[0] as unknown as { context_length: number }).context_length).toBe(200_000);
    expect(new Date(models[0]!.expires_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses model management with a clear error in Ollama shape', async () => {
    await expect(ollama.pull({ model: 'llama3' })).rejects.toMatchObject({ status_code: 400, error: expect.stringContaining('Models live at your providers') });
    await expect(ollama.delete({ model: 'coder' })).rejects.toMatchObject({ status_code: 400, error: expect.stringContaining('Models live at your providers') });
    await expect(ollama.copy({ source: 'coder', destination: 'x' })).rejects.toMatchObject({ status_code: 400 });
    await expect(ollama.create({ model: 'x', from: 'coder' })).rejects.toMatchObject({ status_code: 400 });
    await expect(ollama.push({ model: 'x' })).rejects.toMatchObject({ status_code: 400 });
  });

  it('reports a provider error before the answer in Ollama shape with the provider status', async () => {
    upstream.enqueue('/v1/chat/completions', errorAnswer(400, 'context too long'));
    await expect(ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toMatchObject({ status_code: 400, error: expect.stringContaining('context too long') });
  });

  it('ends a stream that breaks mid-answer with an NDJSON error line the client throws on', async () => {
    upstream.enqueue('/v1/chat/completions', dropMidStream(2));
    const stream = await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const seen: string[] = [];
    await expect((async () => {
      for await (const part of stream) seen.push(part.message.content);
    })()).rejects.toThrow(/provider/i);
    expect(seen.join('')).toContain('part0');
  });

  it('records Ollama requests in the history with tokens', async () => {
    await ollama.chat({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true }).then(async (stream) => {
      for await (const _ of stream) void _;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    harness.gateway.flushHistory();
    const page = await harness.gateway.control.queryHistory({ limit: 5 });
    expect(page.rows[0]).toMatchObject({ dialect: 'ollama', endpoint: '/api/chat', requestedModel: 'coder', provider: 'fake', upstreamModel: 'fake-large', status: 200, stream: true, inputTokens: 11, outputTokens: 7 });
  });
});
