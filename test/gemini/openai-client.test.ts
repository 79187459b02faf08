// The official OpenAI client → Switchboard → a Gemini provider (the fake speaks Gemini's wire format).
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { geminiChunks, geminiError, geminiText, geminiToolCalls, geminiUsage, startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const KEY = 'gemini-test-key-123';
const TOOLS: OpenAI.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } },
];

describe('OpenAI client through Switchboard to a Gemini provider', () => {
  let fake: FakeGemini;
  let harness: Harness;
  let client: OpenAI;

  async function start(baseUrl: string) {
    harness = await startGateway({
      providers: [{ id: 'gem', kind: 'gemini', baseUrl, keys: [KEY] }],
      aliases: [
        { alias: 'flash', targets: [{ provider: 'gem', model: 'gemini-2.5-flash' }] },
        { alias: 'pro3', targets: [{ provider: 'gem', model: 'gemini-3-pro-preview' }] },
        { alias: 'embed', targets: [{ provider: 'gem', model: 'gemini-embedding-001' }] },
      ],
    });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  }

  /** The last model call (model discovery runs in the background and is left out). */
  const lastCall = () => fake.requests.filter((request) => request.operation !== 'models').at(-1)!;

  beforeEach(async () => {
    fake = await startFakeGemini();
    await start(fake.origin);
  });
  afterEach(async () => {
    await harness.close();
    await fake.close();
  });

  it('streams a Gemini answer as chat chunks, sending the key only in x-goog-api-key', async () => {
    const stream = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from Gemini');
    expect(finish).toBe('stop');
    // usageMetadata is a running total: the last chunk's numbers, never a sum.
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });

    const seen = lastCall();
    expect(seen.url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(seen.url).not.toContain(KEY);
    expect(seen.headers['x-goog-api-key']).toBe(KEY);
    expect(seen.headers.authorization).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(harness.token);
    expect(seen.body).toMatchObject({ systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it('answers non-streaming with sampling, stop and JSON-schema output mapped to generationConfig', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const completion = await client.chat.completions.create({
      model: 'flash',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.3, top_p: 0.9, max_tokens: 200, stop: ['###'], seed: 7,
      response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } },
      reasoning_effort: 'low',
    });
    expect(completion.choices[0]!.message.content).toBe('Hello from Gemini');
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
    const seen = lastCall();
    expect(seen.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(seen.body!.generationConfig).toEqual({
      temperature: 0.3, topP: 0.9, maxOutputTokens: 200, stopSequences: ['###'], seed: 7,
      responseMimeType: 'application/json', responseJsonSchema: schema,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 },
    });
  });

  it('accepts a base URL that already ends in /v1beta', async () => {
    await harness.close();
    await start(`${fake.origin}/v1beta/`);
    await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'Hi' }] });
    expect(lastCall().url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('shows thought summaries as reasoning and counts thinking tokens as output', async () => {
    fake.enqueue('streamGenerateContent', geminiText(['Done'], { thoughts: ['Let me think.'], thoughtTokens: 20 }));
    const stream = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true }, reasoning_effort: 'high' });
    let reasoning = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(reasoning).toBe('Let me think.');
    expect(usage).toMatchObject({ completion_tokens: 21, completion_tokens_details: { reasoning_tokens: 20 } });
  });

  it('runs a tool loop over two turns and carries the thought signature back on the functionCall part', async () => {
    fake.enqueue('streamGenerateContent', geminiToolCalls(
      [{ name: 'get_weather', args: { city: 'Paris' }, signature: 'CiQB-thought-sig/+==' }, { name: 'get_time', args: { tz: 'CET' } }],
      { text: 'Checking.' },
    ));
    const first = await client.chat.completions.stream({ model: 'pro3', messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools: TOOLS }).finalChatCompletion();
    const message = first.choices[0]!.message;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(message.content).toBe('Checking.');
    const calls = message.tool_calls!.filter((call) => call.type === 'function');
    expect(calls.map((call) => [call.function.name, JSON.parse(call.function.arguments)])).toEqual([['get_weather', { city: 'Paris' }], ['get_time', { tz: 'CET' }]]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    expect(calls[0]!.id).toMatch(/^call_[\w-]+$/);

    fake.enqueue('streamGenerateContent', geminiText(['18C and 14:00']));
    const second = await client.chat.completions.create({
      model: 'pro3',
      stream: true,
      tools: TOOLS,
      messages: [
        { role: 'user', content: 'Weather and time in Paris?' },
        { role: 'assistant', content: message.content, tool_calls: message.tool_calls },
        // Results arrive in the opposite order; Gemini wants them in call order.
        { role: 'tool', tool_call_id: calls[1]!.id, content: '14:00' },
        { role: 'tool', tool_call_id: calls[0]!.id, content: '18C' },
      ],
    });
    let text = '';
    for await (const chunk of second) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('18C and 14:00');

    const contents = lastCall().body!.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>;
    expect(contents).toHaveLength(3);
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [
        { text: 'Checking.' },
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQB-thought-sig/+==' },
        { functionCall: { name: 'get_time', args: { tz: 'CET' } } },
      ],
    });
    expect(contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'get_weather', response: { output: '18C' } } },
        { functionResponse: { name: 'get_time', response: { output: '14:00' } } },
      ],
    });
  });

  it('sends the documented placeholder signature for tool calls Gemini did not make', async () => {
    await client.chat.completions.create({
      model: 'pro3',
      tools: TOOLS,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_from_claude', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_from_claude', content: '-3C' },
      ],
    });
    const contents = lastCall().body!.contents as Array<{ parts: Array<Record<string, unknown>> }>;
    expect(contents[1]!.parts[0]).toEqual({ functionCall: { name: 'get_weather', args: { city: 'Oslo' } }, thoughtSignature: 'skip_thought_signature_validator' });
  });

  it('maps tool_choice to functionCallingConfig', async () => {
    await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }], tools: TOOLS, tool_choice: { type: 'function', function: { name: 'get_time' } } });
    const body = lastCall().body!;
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } });
    expect((body.tools as Array<{ functionDeclarations: unknown[] }>)[0]!.functionDeclarations[0]).toEqual({
      name: 'get_weather', description: 'Weather of a city', parametersJsonSchema: TOOLS[0]!.type === 'function' ? TOOLS[0]!.function.parameters : null,
    });
    await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }], tools: TOOLS, tool_choice: 'required' });
    expect(lastCall().body!.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
  });

  it('reports a safety stop as content_filter and a MAX_TOKENS stop as length', async () => {
    fake.enqueue('generateContent', geminiChunks([{ candidates: [{ content: { role: 'model', parts: [{ text: 'Partial' }] }, finishReason: 'SAFETY', index: 0 }], usageMetadata: geminiUsage(5, 1) }]));
    const filtered = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] });
    expect(filtered.choices[0]!.finish_reason).toBe('content_filter');
    fake.enqueue('generateContent', geminiChunks([{ candidates: [{ content: { role: 'model', parts: [{ text: 'Cut' }] }, finishReason: 'MAX_TOKENS', index: 0 }] }]));
    const cut = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] });
    expect(cut.choices[0]!.finish_reason).toBe('length');
  });

  it('turns a blocked prompt into a clear content_filtered error', async () => {
    fake.enqueue('generateContent', geminiChunks([{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: geminiUsage(5, 0) }]));
    const error = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(/blocked the prompt \(blockReason PROHIBITED_CONTENT\)/);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('content_filtered');
  });

  it('passes a mid-stream Gemini error to the client as an in-band stream error', async () => {
    fake.enqueue('streamGenerateContent', geminiChunks([
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Start' }] }, index: 0 }] },
      { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
    ]));
    const stream = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('Start');
    expect(String(failure)).toMatch(/overloaded/);
  });

  it('reports a stream cut before its finish reason as an error, never as a complete answer', async () => {
    fake.enqueue('streamGenerateContent', geminiChunks([{ candidates: [{ content: { role: 'model', parts: [{ text: 'Half' }] }, index: 0 }] }], { cutBeforeEnd: true }));
    const stream = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }], stream: true });
    const failure = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(String(failure)).toMatch(/ended without a finish reason|closed the connection/);
  });

  it('maps a Gemini 429 RESOURCE_EXHAUSTED to a rate limit with Gemini\'s message', async () => {
    fake.enqueue('generateContent', geminiError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for metric generate_content_free_tier_requests'));
    const limited = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as Error).message).toMatch(/Quota exceeded/);
  });

  it('reports a key Gemini rejects (HTTP 400 API_KEY_INVALID) as an auth failure, without the key', async () => {
    fake.apiKey = 'rotated-elsewhere';
    const rejected = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(OpenAI.APIError);
    expect((rejected as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    expect((rejected as Error).message).not.toContain(KEY);
  });

  it('embeds through batchEmbedContents', async () => {
    const result = await client.embeddings.create({ model: 'embed', input: ['alpha', 'beta'] });
    expect(result.data.map((entry) => Array.from(entry.embedding))).toEqual([[0.5, -0.25, 0.125], [1.5, -0.25, 0.125]]);
    const seen = lastCall();
    expect(seen.url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(seen.body).toEqual({ requests: [
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'alpha' }] } },
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'beta' }] } },
    ] });
  });

  it('discovers chat and embedding models across pages, with their token limits', async () => {
    const models = await harness.gateway.control.refreshModels({ providerId: 'gem' });
    expect(models.map((model) => model.model).sort()).toEqual(['gemini-2.5-flash', 'gemini-3-pro-preview', 'gemini-embedding-001']);
    expect(models.find((model) => model.model === 'gemini-2.5-flash')!.metadata).toMatchObject({ contextWindow: 1048576, maxOutputTokens: 65536 });
    // Two models per page in the fake: the second page was asked for with the first one's token.
    expect(fake.requests.some((request) => request.url === '/v1beta/models?pageSize=1000&pageToken=2')).toBe(true);
    expect(fake.requests.every((request) => !request.url.includes('key='))).toBe(true);
    // A discovered model answers by its provider/model address.
    const completion = await client.chat.completions.create({ model: 'gem/gemini-3-pro-preview', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]!.message.content).toBe('Hello from Gemini');
  });

  // Downloading image URLs (https, public addresses only): test/hardening/image-url-fetch.test.ts.
  describe('images', () => {
    it('refuses image URLs that are not https or data:, without calling Gemini', async () => {
      const before = fake.requests.filter((request) => request.operation !== 'models').length;
      const error = await client.chat.completions.create({
        model: 'flash',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] }],
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as Error).message).toMatch(/https or data: URLs/);
      expect(fake.requests.filter((request) => request.operation !== 'models').length).toBe(before);
    });
  });
});
