// The official @google/genai SDK (v2, httpOptions.baseUrl) → Switchboard's Gemini front door →
// providers of other kinds, through the canonical model: text, streams, a full tool round with
// parallel calls and functionResponse turns, usage and finish reasons, errors in Google's shape.
import { ApiError, FunctionCallingConfigMode, GoogleGenAI, type Content, type FunctionDeclaration } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { ollamaChatAnswer, ollamaToolCallAnswer, startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama-upstream.ts';
import { dropMidStream, errorAnswer, startFakeOpenAi, textAnswer, toolCallAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const DECLARATIONS: FunctionDeclaration[] = [
  { name: 'get_weather', description: 'Weather of a city', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  { name: 'get_time', description: 'Time in a zone', parameters: { type: 'OBJECT' as never, properties: { tz: { type: 'STRING' as never } } } },
];

/** One upstream kind, scripted the same way for every test below. */
interface Upstream {
  name: string;
  provider: { id: string; kind: string; baseUrl: string; keys?: string[] };
  text(parts: string[]): void;
  /** Two parallel calls: get_weather(Paris), get_time(Europe/Paris). */
  twoCalls(): void;
  /** What the upstream received last. */
  lastBody(): Record<string, unknown>;
  /** The results of the tool round, as this upstream's own format carries them (in call order). */
  toolResults(body: Record<string, unknown>): unknown;
  close(): Promise<void>;
}

async function openAiUpstream(): Promise<Upstream> {
  const fake: FakeOpenAi = await startFakeOpenAi();
  return {
    name: 'an OpenAI-compatible provider',
    provider: { id: 'oai', kind: 'openai', baseUrl: fake.baseUrl, keys: ['sk-upstream'] },
    text: (parts) => fake.enqueue('/v1/chat/completions', textAnswer(parts, { usage: { prompt: 21, completion: 5 } })),
    twoCalls: () =>
      fake.enqueue('/v1/chat/completions', toolCallAnswer([
        { id: 'call_w', name: 'get_weather', fragments: ['{"city":', '"Paris"}'] },
        { id: 'call_t', name: 'get_time', fragments: ['{"tz":"Europe/Paris"}'] },
      ])),
    lastBody: () => fake.requests.filter((request) => request.path === '/v1/chat/completions').at(-1)!.body as Record<string, unknown>,
    toolResults: (body) => (body.messages as Array<Record<string, unknown>>).filter((message) => message.role === 'tool').map((message) => [message.tool_call_id, message.content]),
    close: () => fake.close(),
  };
}

async function anthropicUpstream(): Promise<Upstream> {
  const fake: FakeAnthropic = await startFakeAnthropic();
  return {
    name: 'an Anthropic provider',
    provider: { id: 'ant', kind: 'anthropic', baseUrl: fake.baseUrl, keys: ['sk-ant-upstream'] },
    text: (parts) => fake.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: parts }], usage: { input: 21, output: 5 } })),
    twoCalls: () =>
      fake.enqueue('/v1/messages', messageAnswer({
        blocks: [
          { type: 'thinking', chunks: ['Two ', 'lookups.'], signature: 'SIG-ANTHROPIC-1' },
          { type: 'tool_use', id: 'toolu_w', name: 'get_weather', fragments: ['{"city":"Paris"}'] },
          { type: 'tool_use', id: 'toolu_t', name: 'get_time', fragments: ['{"tz":"Europe/Paris"}'] },
        ],
        stopReason: 'tool_use',
      })),
    lastBody: () => fake.requests.filter((request) => request.path.startsWith('/v1/messages')).at(-1)!.body as Record<string, unknown>,
    toolResults: (body) =>
      (body.messages as Array<{ role: string; content: unknown }>)
        .flatMap((message) => (Array.isArray(message.content) ? (message.content as Array<Record<string, unknown>>) : []))
        .filter((block) => block.type === 'tool_result')
        .map((block) => [block.tool_use_id, JSON.stringify(block.content)]),
    close: () => fake.close(),
  };
}

async function ollamaUpstream(): Promise<Upstream> {
  const fake: FakeOllama = await startFakeOllama();
  return {
    name: 'an Ollama provider',
    provider: { id: 'oll', kind: 'ollama', baseUrl: fake.origin },
    text: (parts) => fake.enqueue('/api/chat', ollamaChatAnswer(parts)),
    twoCalls: () => fake.enqueue('/api/chat', ollamaToolCallAnswer([{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_time', arguments: { tz: 'Europe/Paris' } }])),
    lastBody: () => fake.requests.filter((request) => request.path === '/api/chat').at(-1)!.body as Record<string, unknown>,
    toolResults: (body) => (body.messages as Array<Record<string, unknown>>).filter((message) => message.role === 'tool').map((message) => [message.tool_name, message.content]),
    close: () => fake.close(),
  };
}

describe.each([
  ['an OpenAI-compatible provider', openAiUpstream],
  ['an Anthropic provider', anthropicUpstream],
  ['an Ollama provider', ollamaUpstream],
])('the @google/genai SDK through the Gemini front door to %s', (_name, makeUpstream) => {
  let upstream: Upstream;
  let harness: Harness;
  let ai: GoogleGenAI;

  beforeAll(async () => {
    upstream = await makeUpstream();
    harness = await startGateway({
      providers: [upstream.provider],
      aliases: [{ alias: 'gemini-2.5-flash', targets: [{ provider: upstream.provider.id, model: 'upstream-model' }] }],
    });
    ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin, retryOptions: { attempts: 1 } } });
  });
  afterAll(async () => {
    await harness?.close();
    await upstream?.close();
  });

  it('answers generateContent with text, STOP and usage', async () => {
    upstream.text(['Hello', ' Gemini', ' client']);
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Say hello', config: { systemInstruction: 'Be brief.', temperature: 0.3 } });
    expect(response.text).toBe('Hello Gemini client');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
    expect(response.usageMetadata?.totalTokenCount).toBe((response.usageMetadata?.promptTokenCount ?? 0) + (response.usageMetadata?.candidatesTokenCount ?? 0));
    expect(JSON.stringify(upstream.lastBody())).toContain('Be brief.');
  });

  it('streams with alt=sse, the finish reason and usage on the last chunk', async () => {
    upstream.text(['One', ' two', ' three']);
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Count' });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.text ?? '').join('')).toBe('One two three');
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks.at(-1)?.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((chunk) => chunk.candidates?.[0]?.finishReason === undefined)).toBe(true);
  });

  it('completes a tool round: parallel function calls, then functionResponse turns, then the answer', async () => {
    upstream.twoCalls();
    const config = { tools: [{ functionDeclarations: DECLARATIONS }], toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } }, thinkingConfig: { includeThoughts: true } };
    const contents: Content[] = [{ role: 'user', parts: [{ text: 'Weather and time in Paris?' }] }];
    const first = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents, config });
    const calls = first.functionCalls ?? [];
    expect(calls.map((call) => [call.name, call.args])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', { tz: 'Europe/Paris' }],
    ]);
    expect(calls.every((call) => typeof call.id === 'string' && call.id !== '')).toBe(true);
    expect(first.candidates?.[0]?.finishReason).toBe('STOP');
    const sent = upstream.lastBody();
    expect(JSON.stringify(sent)).toContain('get_weather');

    upstream.text(['Sunny, ', '14:00']);
    const second = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      config,
      contents: [
        ...contents,
        first.candidates![0]!.content!,
        { role: 'user', parts: calls.map((call) => ({ functionResponse: { id: call.id, name: call.name, response: { output: call.name === 'get_weather' ? '18C' : '14:00' } } })) },
      ],
    });
    expect(second.text).toBe('Sunny, 14:00');
    const results = upstream.toolResults(upstream.lastBody()) as Array<[string, string]>;
    expect(results).toHaveLength(2);
    expect(results[0]![1]).toContain('18C');
    expect(results[1]![1]).toContain('14:00');
    // Each result answers its own call: the ids (or, for Ollama, the names) the upstream issued.
    expect(results.map(([ref]) => ref)).toEqual(upstream.provider.kind === 'openai' ? ['call_w', 'call_t'] : upstream.provider.kind === 'anthropic' ? ['toolu_w', 'toolu_t'] : ['get_weather', 'get_time']);
  });

  it('counts tokens locally (an estimate) and lists the models it can route', async () => {
    const counted = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'How many tokens is this sentence?' });
    expect(counted.totalTokens).toBeGreaterThan(3);
    const pager = await ai.models.list();
    const names = [];
    for await (const model of pager) names.push(model.name);
    expect(names).toContain('models/gemini-2.5-flash');
    const one = await ai.models.get({ model: 'gemini-2.5-flash' });
    expect(one.name).toBe('models/gemini-2.5-flash');
  });

  it('answers an unknown model in Google\'s error shape', async () => {
    const error = await ai.models.generateContent({ model: 'no-such-model', contents: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    const raw = await fetch(`${harness.origin}/v1beta/models/no-such-model:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': harness.token },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
    });
    expect(raw.status).toBe(404);
    expect(await raw.json()).toEqual({
      error: {
        code: 404,
        message: expect.stringContaining('no-such-model'),
        status: 'NOT_FOUND',
        // Switchboard's code, where Google puts a machine-readable reason.
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'model_not_found', domain: 'switchboard' }],
      },
    });
  });
});

describe('signed thinking from an Anthropic provider, carried by a Gemini client', () => {
  it('comes back to Anthropic verbatim on the next turn, as thinking before the tool calls', async () => {
    const upstream = await anthropicUpstream();
    const harness = await startGateway({ providers: [upstream.provider], aliases: [{ alias: 'claude-thinks', targets: [{ provider: 'ant', model: 'claude-sonnet-4-5' }] }] });
    try {
      const ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin, retryOptions: { attempts: 1 } } });
      const config = { tools: [{ functionDeclarations: DECLARATIONS }], thinkingConfig: { includeThoughts: true } };
      upstream.twoCalls();
      const stream = await ai.models.generateContentStream({ model: 'claude-thinks', contents: 'Weather and time?', config });
      const parts = [];
      for await (const chunk of stream) parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
      const thoughts = parts.filter((part) => part.thought);
      expect(thoughts.map((part) => part.text).join('')).toBe('Two lookups.');
      const signature = thoughts.at(-1)?.thoughtSignature;
      expect(signature).toEqual(expect.any(String));
      expect(signature).not.toContain('SIG-ANTHROPIC-1'); // wrapped, not the raw vendor value

      upstream.text(['Done.']);
      const calls = parts.filter((part) => part.functionCall);
      await ai.models.generateContent({
        model: 'claude-thinks',
        config,
        contents: [
          { role: 'user', parts: [{ text: 'Weather and time?' }] },
          { role: 'model', parts },
          { role: 'user', parts: calls.map((part) => ({ functionResponse: { id: part.functionCall!.id, name: part.functionCall!.name, response: { output: 'ok' } } })) },
        ],
      });
      const assistant = (upstream.lastBody().messages as Array<{ role: string; content: Array<Record<string, unknown>> }>).find((message) => message.role === 'assistant')!;
      expect(assistant.content[0]).toEqual({ type: 'thinking', thinking: 'Two lookups.', signature: 'SIG-ANTHROPIC-1' });
      expect(assistant.content.slice(1).map((block) => block.type)).toEqual(['tool_use', 'tool_use']);
    } finally {
      await harness.close();
      await upstream.close();
    }
  });
});

describe('Google\'s error shape for upstream failures', () => {
  it('turns an OpenAI-compatible 429 into RESOURCE_EXHAUSTED with retry-after, streaming or not', async () => {
    const fake = await startFakeOpenAi();
    const harness = await startGateway({ providers: [{ id: 'oai', kind: 'openai', baseUrl: fake.baseUrl, keys: ['sk-upstream'] }], aliases: [{ alias: 'busy', targets: [{ provider: 'oai', model: 'x' }] }] });
    try {
      fake.enqueue('/v1/chat/completions', errorAnswer(429, 'Slow down', { 'retry-after': '7' }));
      const answer = await fetch(`${harness.origin}/v1beta/models/busy:streamGenerateContent?alt=sse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': harness.token },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
      });
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('7');
      const body = (await answer.json()) as { error: { details: unknown[] } };
      expect(body).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
      // Gemini CLI paces its retries by RetryInfo.
      expect(body.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' });
    } finally {
      await harness.close();
      await fake.close();
    }
  });

  it('ends a stream cut by the upstream with an in-band error the SDK raises, never a silent end', async () => {
    const fake = await startFakeOpenAi();
    const harness = await startGateway({ providers: [{ id: 'oai', kind: 'openai', baseUrl: fake.baseUrl, keys: ['sk-upstream'] }], aliases: [{ alias: 'flaky', targets: [{ provider: 'oai', model: 'x' }] }] });
    try {
      fake.enqueue('/v1/chat/completions', dropMidStream(2));
      const ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin, retryOptions: { attempts: 1 } } });
      const stream = await ai.models.generateContentStream({ model: 'flaky', contents: 'x' });
      const texts: string[] = [];
      const failure = await (async () => {
        for await (const chunk of stream) texts.push(chunk.text ?? '');
      })().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ApiError);
      expect(texts.join('')).toBe('part0 part1 ');
    } finally {
      await harness.close();
      await fake.close();
    }
  });
});

describe('a stream without alt=sse', () => {
  it('is one JSON array, element by element, ending with the finish reason and usage', async () => {
    const fake = await startFakeOpenAi();
    const harness = await startGateway({ providers: [{ id: 'oai', kind: 'openai', baseUrl: fake.baseUrl, keys: ['sk-upstream'] }], aliases: [{ alias: 'm', targets: [{ provider: 'oai', model: 'x' }] }] });
    try {
      fake.enqueue('/v1/chat/completions', textAnswer(['a', 'b', 'c']));
      const answer = await fetch(`${harness.origin}/v1beta/models/m:streamGenerateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': harness.token },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
      });
      const chunks = (await answer.json()) as Array<{ candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason?: string }>; usageMetadata?: unknown }>;
      expect(chunks.map((chunk) => chunk.candidates[0]!.content.parts[0]!.text).join('')).toBe('abc');
      expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: 'STOP' }], usageMetadata: { promptTokenCount: expect.any(Number) } });
    } finally {
      await harness.close();
      await fake.close();
    }
  });
});

describe('embeddings from a provider of another kind', () => {
  it('answers the SDK\'s embedContent and a raw :embedContent with the provider\'s vectors', async () => {
    const fake = await startFakeOpenAi();
    const harness = await startGateway({ providers: [{ id: 'oai', kind: 'openai', baseUrl: fake.baseUrl, keys: ['sk-upstream'] }], aliases: [{ alias: 'embedder', targets: [{ provider: 'oai', model: 'text-embedding-3-small' }] }] });
    try {
      const ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin, retryOptions: { attempts: 1 } } });
      const batch = await ai.models.embedContent({ model: 'embedder', contents: ['first', 'second'], config: { outputDimensionality: 3 } });
      expect(batch.embeddings?.map((embedding) => embedding.values)).toEqual([[0.25, -0.5, 1.5], [1.25, -0.5, 1.5]]);
      const sent = fake.requests.filter((request) => request.path === '/v1/embeddings').at(-1)!.body!;
      expect(sent).toMatchObject({ model: 'text-embedding-3-small', input: ['first', 'second'], dimensions: 3 });

      const one = await fetch(`${harness.origin}/v1beta/models/embedder:embedContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': harness.token },
        body: JSON.stringify({ content: { parts: [{ text: 'only' }] } }),
      });
      expect(one.status).toBe(200);
      expect(await one.json()).toEqual({ embedding: { values: [0.25, -0.5, 1.5] } });
      harness.gateway.flushHistory();
      const rows = (await harness.gateway.control.queryHistory({ dialect: 'gemini' })).rows;
      expect(rows.map((row) => [row.status, row.provider, row.upstreamModel])).toEqual([
        [200, 'oai', 'text-embedding-3-small'],
        [200, 'oai', 'text-embedding-3-small'],
      ]);
    } finally {
      await harness.close();
      await fake.close();
    }
  });
});
