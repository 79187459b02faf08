import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, textAnswer, toolCallAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { readStream } from '../fixtures/read-stream.ts';

describe('OpenAI chat through Switchboard to an OpenAI-compatible provider', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let client: OpenAI;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream-key-1'] }],
      aliases: [{ alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] }],
    });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('answers a non-streaming chat through an alias with the upstream model and the provider key', async () => {
    const completion = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]!.message.content).toBe('Hello from fake');
    const seen = upstream.requests.at(-1)!;
    expect(seen.body!.model).toBe('fake-large');
    expect(seen.headers.authorization).toBe('Bearer sk-upstream-key-1');
    expect(JSON.stringify(seen.headers)).not.toContain(harness.token);
  });

  it("forwards the client's own JSON text, with only the model (and the usage request of a stream) changed", async () => {
    // Spacing, a number's spelling and a \u escape survive only if the text is not re-serialized.
    const text = '{ "model": "coder",\n "messages": [{"role": "user", "content": "caf\\u00e9 \\"model\\": 1"}], "temperature": 1.0 }';
    const send = (body: string) => fetch(`${harness.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` }, body });
    const res = await send(text);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('Hello from fake');
    expect(upstream.requests.at(-1)!.text).toBe(text.replace('"coder"', '"fake-large"'));
    const streamed = text.replace(' }', ', "stream": true }');
    const sse = await send(streamed);
    expect(await sse.text()).toContain('data: [DONE]');
    expect(upstream.requests.at(-1)!.text).toBe(streamed.replace('"coder"', '"fake-large"').replace(' }', ',"stream_options":{"include_usage":true} }'));
  });

  it('ends a stream only on its own [DONE] line: an answer that quotes "data: [DONE]" streams and is recorded whole, with its usage', async () => {
    // Before, those words in a delta concluded the exchange there: the client still got the whole
    // stream, but the history row kept the answer cut at them and no usage (its chunk comes after),
    // so an answer could be kept off its client's token budget by having the model say them early.
    await harness.gateway.control.updateSettings({ recordBodies: true });
    const parts = ['An OpenAI stream ends with the line ', 'data: [DONE]', ' and a blank line; ', 'data: [DONE]\n\n', 'after it nothing more comes.'];
    for (const delayMs of [0, 5]) {
      upstream.route = () => textAnswer(parts, { delayMs, usage: { prompt: 12, completion: 34 } });
      const stream = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: `How does an SSE stream end? (${delayMs})` }], stream: true });
      let text = '';
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect([text, finish]).toEqual([parts.join(''), 'stop']);
      const row = await waitFor(async () => (await harness.gateway.control.queryHistory({})).rows.find((r) => r.requestedModel === 'coder' && r.status === 200 && !(r.id in seen)));
      seen[row.id] = true;
      expect(row).toMatchObject({ inputTokens: 12, outputTokens: 34 });
      expect((await harness.gateway.control.getHistoryEntry({ id: row.id }))?.bodies?.response ?? '').toContain('after it nothing more comes.');
    }
  });

  it('streams chat chunks the SDK accumulates into the full answer, with usage only when asked', async () => {
    const stream = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from fake');
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(upstream.requests.at(-1)!.body!.stream_options).toEqual({ include_usage: true });

    const withUsage = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    let usage = null;
    for await (const chunk of withUsage) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7 });
  });

  it('streams parallel tool calls that the SDK stream helper assembles', async () => {
    upstream.enqueue('/v1/chat/completions', toolCallAnswer([
      { id: 'call_a', name: 'get_weather', fragments: ['{"city":', '"Paris"}'] },
      { id: 'call_b', name: 'get_time', fragments: ['{"tz":"', 'CET"}'] },
    ]));
    const runner = client.chat.completions.stream({
      model: 'coder',
      messages: [{ role: 'user', content: 'Weather and time?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } },
      ],
    });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(calls.map((c) => c.type === 'function' && [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ['call_a', 'get_weather', { city: 'Paris' }],
      ['call_b', 'get_time', { tz: 'CET' }],
    ]);
  });

  it('records each request in the history with tokens and timing', async () => {
    upstream.enqueue('/v1/chat/completions', textAnswer(['a', 'b'], { usage: { prompt: 5, completion: 2 } }));
    const stream = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    for await (const _ of stream) void _;
    await new Promise((r) => setTimeout(r, 20));
    harness.gateway.flushHistory();
    const page = await harness.gateway.control.queryHistory({ limit: 5 });
    expect(page.rows[0]).toMatchObject({ dialect: 'openai', requestedModel: 'coder', provider: 'fake', upstreamModel: 'fake-large', status: 200, stream: true, inputTokens: 5, outputTokens: 2, client: 'test-client', errorCode: null });
    expect(page.rows[0]!.ttftMs).not.toBeNull();
  });

  it('fast path: after an upstream in-band error no [DONE] follows and the connection is cut; the SDK throws', async () => {
    // An upstream that reports an error mid-stream and then ends with [DONE] (as vLLM and others do).
    const inBandError = () => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'fake-large', choices: [{ index: 0, delta: { role: 'assistant', content: 'partial' }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ error: { message: 'The model overloaded', type: 'server_error', code: null } })}\n\n`);
      res.end('data: [DONE]\n\n');
    };
    upstream.enqueue('/v1/chat/completions', inBandError());
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    const { text, cut } = await readStream(response);
    expect(text).toContain('The model overloaded');
    expect(text).not.toContain('[DONE]');
    expect(cut).toBe(true);
    // Exactly one error event: the upstream's own, as it was sent.
    expect(text.match(/"error"/g)).toHaveLength(1);

    upstream.enqueue('/v1/chat/completions', inBandError());
    const stream = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    await expect((async () => {
      for await (const _ of stream) void _;
    })()).rejects.toThrow('The model overloaded');
    // The row is durable before the answer's last byte leaves.
    harness.gateway.flushHistory();
    const page = await harness.gateway.control.queryHistory({ limit: 2 });
    expect(page.rows.map((row) => row.errorCode)).toEqual(['upstream_error', 'upstream_error']);
  });
});

const seen: Record<string, true> = {};

/** The value `read` gives once it gives one (history rows are written just after the answer ends); at most 5 s. */
async function waitFor<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('nothing within 5 s');
}
