import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ollamaChatAnswer, ollamaErrorAnswer, ollamaMidStreamError, ollamaToolCallAnswer, startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { readStream } from '../fixtures/read-stream.ts';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('Switchboard in front of a real-wire-format Ollama provider', () => {
  let upstream: FakeOllama;
  let harness: Harness;
  let ollama: Ollama;
  let openai: OpenAI;

  beforeEach(async () => {
    upstream = await startFakeOllama();
    harness = await startGateway({
      providers: [{ id: 'local', kind: 'ollama', baseUrl: upstream.origin }],
      aliases: [
        { alias: 'llama', targets: [{ provider: 'local', model: 'llama3.2:latest' }] },
        { alias: 'vision', targets: [{ provider: 'local', model: 'qwen2.5vl:7b' }] },
        { alias: 'embedder', targets: [{ provider: 'local', model: 'nomic-embed-text:latest' }] },
      ],
    });
    await harness.gateway.control.refreshModels({});
    ollama = new Ollama({ host: harness.origin });
    openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  describe('discovery', () => {
    it('lists the Ollama models next to the aliases with capabilities and context length from /api/show', async () => {
      const { models } = await ollama.list();
      expect(models.map((model) => model.name)).toEqual(expect.arrayContaining(['llama:latest', 'local/llama3.2:latest', 'local/qwen2.5vl:7b', 'local/nomic-embed-text:latest']));
      const show = await ollama.show({ model: 'local/qwen2.5vl:7b' });
      expect(show.capabilities).toEqual(['completion', 'vision']);
      // Trained for 128K, advertised (and sent as num_ctx) at the 32K default cap.
      expect((show.model_info as unknown as Record<string, unknown>)['qwen25vl.context_length']).toBe(32_768);
      const embedder = await ollama.show({ model: 'embedder' });
      expect(embedder.capabilities).toEqual(['embedding']);
    });

    it('prefers the num_ctx the Modelfile sets over the trained context length, also in /v1/models', async () => {
      const show = await ollama.show({ model: 'llama' });
      expect(show.parameters).toMatch(/^num_ctx\s+16384$/m);
      const listed = (await openai.models.list()).data.find((model) => model.id === 'local/llama3.2:latest') as unknown as Record<string, unknown>;
      expect(listed).toMatchObject({ context_window: 16_384, capabilities: ['completion', 'tools'] });
    });
  });

  describe('same-dialect fast path for Ollama clients', () => {
    it('streams the upstream NDJSON through with only the model rewritten and num_ctx added', async () => {
      upstream.enqueue('/api/chat', ollamaChatAnswer(['Hi', ' there'], { thinking: 'Let me think' }));
      const stream = await ollama.chat({
        model: 'llama:latest',
        messages: [{ role: 'user', content: 'Weather?', images: [PNG] }],
        tools: [weatherTool],
        format: { type: 'object' },
        think: true,
        keep_alive: 1800,
        options: { temperature: 0.1, min_p: 0.05 },
        stream: true,
      });
      const parts = [];
      for await (const part of stream) parts.push(part);
      expect(parts[0]!.message.thinking).toBe('Let me think');
      expect(parts.map((part) => part.message.content).join('')).toBe('Hi there');
      // Untouched upstream bytes: the upstream's own timing and model name.
      expect(parts.at(-1)).toMatchObject({ model: 'llama3.2:latest', done: true, total_duration: 4_100_000_000, prompt_eval_count: 26, eval_count: 9 });
      const seen = upstream.requests.at(-1)!;
      expect(seen.path).toBe('/api/chat');
      expect(seen.body).toEqual({
        model: 'llama3.2:latest',
        messages: [{ role: 'user', content: 'Weather?', images: [PNG] }],
        tools: [weatherTool],
        format: { type: 'object' },
        think: true,
        keep_alive: 1800,
        options: { temperature: 0.1, min_p: 0.05, num_ctx: 16_384 },
        stream: true,
      });
      expect(seen.headers.authorization).toBeUndefined();
    });

    it('keeps the num_ctx a client chose', async () => {
      await ollama.chat({ model: 'llama', messages: [{ role: 'user', content: 'Hi' }], options: { num_ctx: 4096 } });
      expect((upstream.requests.at(-1)!.body!.options as Record<string, unknown>).num_ctx).toBe(4096);
    });

    it('answers non-streaming chats, generate with a suffix and embed natively, with usage in the history', async () => {
      upstream.enqueue('/api/chat', ollamaToolCallAnswer([{ name: 'get_weather', arguments: { city: 'Paris' } }]));
      const chat = await ollama.chat({ model: 'llama', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool] });
      expect(chat.message.tool_calls).toEqual([{ function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } } }]);
      const generated = await ollama.generate({ model: 'llama', prompt: 'def add(', suffix: ')', raw: true, format: 'json' });
      expect(generated.response).toBe('def add(a, b):');
      expect(upstream.requests.at(-1)!.body).toMatchObject({ model: 'llama3.2:latest', prompt: 'def add(', suffix: ')', raw: true, format: 'json' });
      const embedded = await ollama.embed({ model: 'embedder', input: 'hello' });
      expect(embedded.embeddings).toEqual([[0.5, -0.25, 0.125]]);
      expect(upstream.requests.at(-1)!.body).toEqual({ model: 'nomic-embed-text:latest', input: 'hello' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      harness.gateway.flushHistory();
      const rows = (await harness.gateway.control.queryHistory({ limit: 5 })).rows;
      expect(rows.find((row) => row.endpoint === '/api/chat')).toMatchObject({ provider: 'local', inputTokens: 26, outputTokens: 9, status: 200 });
      expect(rows.find((row) => row.endpoint === '/api/embed')).toMatchObject({ inputTokens: 6 });
    });

    it('passes an upstream error before the answer on in Ollama shape with its status', async () => {
      upstream.enqueue('/api/chat', ollamaErrorAnswer(400, 'registry.ollama.ai/library/llama3.2:latest does not support tools'));
      await expect(ollama.chat({ model: 'llama', messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool] })).rejects.toMatchObject({
        status_code: 400,
        error: expect.stringContaining('does not support tools'),
      });
    });

    it('passes an in-band error line through so the client throws', async () => {
      upstream.enqueue('/api/chat', ollamaMidStreamError('out of memory'));
      const stream = await ollama.chat({ model: 'llama', messages: [{ role: 'user', content: 'Hi' }], stream: true });
      await expect((async () => {
        for await (const _ of stream) void _;
      })()).rejects.toThrow('out of memory');
    });

    it('cuts the connection after the in-band error line, so a client that cannot parse it still sees a failure', async () => {
      upstream.enqueue('/api/chat', ollamaMidStreamError('out of memory'));
      const response = await fetch(`${harness.origin}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'Hi' }] }) });
      const { text, cut } = await readStream(response);
      expect(cut).toBe(true);
      const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.at(-1)).toEqual({ error: 'out of memory' });
      expect(lines.filter((line) => 'error' in line)).toHaveLength(1);
      expect(lines.some((line) => line.done === true)).toBe(false);
    });
  });

  describe('other clients translated to Ollama', () => {
    it('sends an OpenAI chat as /api/chat with options, num_ctx from metadata and object tool arguments', async () => {
      await openai.chat.completions.create({
        model: 'llama',
        max_tokens: 100,
        temperature: 0.3,
        stop: ['END'],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_x', content: '18C' },
        ],
        tools: [{ type: 'function', function: weatherTool.function }],
      });
      const body = upstream.requests.at(-1)!.body!;
      expect(body).toEqual({
        model: 'llama3.2:latest',
        stream: false,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: '', tool_calls: [{ id: 'call_x', function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } } }] },
          { role: 'tool', content: '18C', tool_name: 'get_weather', tool_call_id: 'call_x' },
        ],
        options: { num_ctx: 16_384, num_predict: 100, temperature: 0.3, stop: ['END'] },
        tools: [weatherTool],
      });
    });

    it('gives Ollama tool calls without ids stable ids and the tool_calls finish reason, streaming and not', async () => {
      const calls = [{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_weather', arguments: { city: 'Rome' } }];
      upstream.enqueue('/api/chat', ollamaToolCallAnswer(calls));
      const completion = await openai.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'Weather?' }], tools: [{ type: 'function', function: weatherTool.function }] });
      expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
      expect(completion.choices[0]!.message.tool_calls!.map((call) => call.type === 'function' && [call.id, call.function.name, call.function.arguments])).toEqual([
        ['call_0', 'get_weather', '{"city":"Paris"}'],
        ['call_1', 'get_weather', '{"city":"Rome"}'],
      ]);
      expect(completion.usage).toMatchObject({ prompt_tokens: 26, completion_tokens: 9 });

      upstream.enqueue('/api/chat', ollamaToolCallAnswer(calls));
      const runner = openai.chat.completions.stream({ model: 'llama', messages: [{ role: 'user', content: 'Weather?' }], tools: [{ type: 'function', function: weatherTool.function }] });
      const final = await runner.finalChatCompletion();
      expect(final.choices[0]!.finish_reason).toBe('tool_calls');
      expect(final.choices[0]!.message.tool_calls!.map((call) => call.id)).toEqual(['call_0', 'call_1']);
    });

    it('streams text and thinking from an Ollama stream to an OpenAI client', async () => {
      upstream.enqueue('/api/chat', ollamaChatAnswer(['Hel', 'lo'], { thinking: 'hmm' }));
      const stream = await openai.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let reasoning = '';
      let usage = null;
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
        text += delta?.content ?? '';
        reasoning += delta?.reasoning_content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('Hello');
      expect(reasoning).toBe('hmm');
      expect(usage).toMatchObject({ prompt_tokens: 26, completion_tokens: 9 });
      expect(upstream.requests.at(-1)!.body!.stream).toBe(true);
    });

    it('sends data-URL images as raw base64 and OpenAI embeddings to /api/embed', async () => {
      await openai.chat.completions.create({ model: 'vision', messages: [{ role: 'user', content: [{ type: 'text', text: 'What?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] }] });
      expect((upstream.requests.at(-1)!.body!.messages as unknown[])[0]).toEqual({ role: 'user', content: 'What?', images: [PNG] });
      expect((upstream.requests.at(-1)!.body!.options as Record<string, unknown>).num_ctx).toBe(32_768);
      const embedded = await openai.embeddings.create({ model: 'embedder', input: ['a', 'b'], encoding_format: 'float' });
      expect(embedded.data.map((item) => item.embedding)).toEqual([[0.5, -0.25, 0.125], [1.5, -0.25, 0.125]]);
      expect(upstream.requests.at(-1)!.path).toBe('/api/embed');
    });

    it('sends the provider key as a Bearer token when one is set', async () => {
      await harness.gateway.control.addKey({ providerId: 'local', secret: 'ollama-cloud-key-1' });
      await ollama.chat({ model: 'llama', messages: [{ role: 'user', content: 'Hi' }] });
      expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer ollama-cloud-key-1');
    });
  });
});
