/**
 * Anthropic SDK → Switchboard → an Anthropic upstream: the same-dialect fast path. Bodies go up
 * with only the model rewritten, bytes come back untouched, errors pass through unchanged.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anthropicError, dropAfterStart, messageAnswer, midStreamError, startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const UPSTREAM_KEY = 'sk-ant-upstream-key-1';

describe('Anthropic clients through Switchboard to an Anthropic upstream (fast path)', () => {
  let upstream: FakeAnthropic;
  let harness: Harness;
  let client: Anthropic;

  beforeEach(async () => {
    upstream = await startFakeAnthropic();
    harness = await startGateway({
      providers: [{ id: 'claude', kind: 'anthropic', baseUrl: upstream.baseUrl, keys: [UPSTREAM_KEY] }],
      aliases: [{ alias: 'claude-*', targets: [{ provider: 'claude', model: 'claude-upstream-*' }] }],
    });
    client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  const lastMessagesRequest = () => upstream.requests.filter((r) => r.path === '/v1/messages').at(-1)!;

  it('forwards the body with only the model rewritten, with the provider key and the client version header', async () => {
    const params = {
      model: 'claude-sonnet-x',
      max_tokens: 300,
      system: [{ type: 'text' as const, text: 'Be brief.', cache_control: { type: 'ephemeral' as const } }],
      messages: [
        { role: 'user' as const, content: 'Weather?' },
        { role: 'assistant' as const, content: [{ type: 'thinking' as const, thinking: 'Need a tool.', signature: 'sig-opaque==' }, { type: 'tool_use' as const, id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_1', content: '18C' }] },
      ],
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      metadata: { user_id: 'u1' },
    };
    const message = await client.messages.create(params);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Claude' }]);
    const seen = lastMessagesRequest();
    expect(seen.body).toEqual({ ...params, model: 'claude-upstream-sonnet-x' });
    expect(seen.headers['x-api-key']).toBe(UPSTREAM_KEY);
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['anthropic-version']).toBe('2026-10-21');
    expect(JSON.stringify(seen.headers)).not.toContain(harness.token);
  });

  it("forwards the client's own JSON text with only the model spliced in (no re-serialization of the conversation)", async () => {
    // Escapes and spacing JSON.stringify would rewrite: a re-serialized body would lose them.
    const text = '{"model": "claude-x", "max_tokens": 50,\n "messages": [ {"role":"user", "content": "caf\\u00e9 \\/ tab\\t"} ], "stream": false}';
    const response = await fetch(`${harness.origin}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': harness.token, 'anthropic-version': '2023-06-01' }, body: text });
    expect(response.status).toBe(200);
    const seen = lastMessagesRequest();
    expect(seen.raw).toBe(text.replace('"claude-x"', '"claude-upstream-x"'));
    expect(seen.body).toMatchObject({ model: 'claude-upstream-x', messages: [{ role: 'user', content: 'café / tab\t' }] });
  });

  it('accepts the client token as x-api-key and forwards anthropic-beta on ?beta=true requests', async () => {
    const viaApiKey = new Anthropic({ baseURL: harness.origin, apiKey: null, authToken: null, defaultHeaders: { 'x-api-key': harness.token }, maxRetries: 0 });
    const message = await viaApiKey.beta.messages.create({ model: 'claude-x', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }], betas: ['interleaved-thinking-2025-05-14'] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello from Claude' });
    const seen = lastMessagesRequest();
    expect(seen.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    expect(seen.headers['x-api-key']).toBe(UPSTREAM_KEY);
    expect(JSON.stringify(seen.headers)).not.toContain(harness.token);
  });

  it('streams thinking with its signature and tool input fragments through byte for byte', async () => {
    upstream.enqueue('/v1/messages', messageAnswer({
      blocks: [
        { type: 'thinking', chunks: ['Let me ', 'check.'], signature: 'EqQBCkYIBx==' },
        { type: 'text', chunks: ['Checking.'] },
        { type: 'tool_use', id: 'toolu_9', name: 'get_weather', fragments: ['{"city": "Par', 'is"}'] },
      ],
      usage: { input: 120, output: 40, cacheRead: 2000, cacheWrite: 30 },
    }));
    const final = await client.messages.stream({ model: 'claude-x', max_tokens: 2000, messages: [{ role: 'user', content: 'Weather?' }], thinking: { type: 'enabled', budget_tokens: 1024 } }).finalMessage();
    expect(final.content).toEqual([
      { type: 'thinking', thinking: 'Let me check.', signature: 'EqQBCkYIBx==' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    await new Promise((r) => setTimeout(r, 20));
    harness.gateway.flushHistory();
    const row = (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
    const detail = await harness.gateway.control.getHistoryEntry({ id: row.id });
    // input_tokens excludes cache reads/writes: the history counts every prompt token.
    expect(detail).toMatchObject({ dialect: 'anthropic', provider: 'claude', upstreamModel: 'claude-upstream-x', stream: true, inputTokens: 2150, outputTokens: 40, cacheReadTokens: 2000, cacheWriteTokens: 30, status: 200, errorCode: null });
    expect(detail!.ttftMs).not.toBeNull();
  });

  it('passes upstream error bodies through unchanged, status and wording included', async () => {
    upstream.enqueue('/v1/messages', anthropicError(400, 'invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum'));
    const error = await client.messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 250000 tokens > 200000 maximum' }, request_id: 'req_fake_err' });

    upstream.enqueue('/v1/messages', anthropicError(529, 'overloaded_error', 'Overloaded'));
    const overloaded = await client.messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('relays an in-band upstream error and reports a cut stream as an error event', async () => {
    upstream.enqueue('/v1/messages', midStreamError('overloaded_error', 'Overloaded'));
    const failed = await client.messages.stream({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Anthropic.APIError);
    expect(String((failed as Error).message)).toContain('Overloaded');

    upstream.enqueue('/v1/messages', dropAfterStart());
    const cut = await client.messages.stream({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage().catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(Error);
    expect(String((cut as Error).message)).toMatch(/message_stop|closed the connection/);
  });

  it('forwards count_tokens to the Anthropic upstream', async () => {
    const count = await client.messages.countTokens({ model: 'claude-x', messages: [{ role: 'user', content: 'Hi' }] });
    expect(count.input_tokens).toBe(4242);
    const seen = upstream.requests.find((r) => r.path === '/v1/messages/count_tokens')!;
    expect(seen.body).toEqual({ model: 'claude-upstream-x', messages: [{ role: 'user', content: 'Hi' }] });
    await new Promise((r) => setTimeout(r, 20));
    harness.gateway.flushHistory();
    const row = (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
    expect(await harness.gateway.control.getHistoryEntry({ id: row.id })).toMatchObject({ endpoint: '/v1/messages/count_tokens', inputTokens: 4242, estimated: false, status: 200 });
  });

  it('lists models in the Anthropic shape for Anthropic clients and the OpenAI shape otherwise', async () => {
    await harness.gateway.control.createAlias({ alias: 'sonnet', targets: [{ provider: 'claude', model: 'claude-fake-1' }] });
    await harness.gateway.control.refreshModels({ providerId: 'claude' });
    const page = await client.models.list();
    const ids = page.data.map((model) => model.id);
    expect(ids).toContain('sonnet');
    expect(ids).toContain('claude/claude-fake-1');
    expect(page.data.find((model) => model.id === 'claude/claude-fake-1')).toMatchObject({ type: 'model', max_tokens: 32000, max_input_tokens: 200000 });
    const one = await client.models.retrieve('sonnet');
    expect(one).toMatchObject({ type: 'model', id: 'sonnet' });
    const missing = await client.models.retrieve('nope-model').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });

    const openAiShape = await fetch(`${harness.baseUrl}/models`, { headers: { authorization: `Bearer ${harness.token}` } }).then((r) => r.json());
    expect(openAiShape).toMatchObject({ object: 'list' });
  });
});
