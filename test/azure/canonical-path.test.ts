// The Azure adapter on the canonical path (clients of other dialects): the OpenAI provider's
// request builder and chunk converter, with Azure's URLs, auth and stream quirks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectResponse } from '../../src-proxy/canonical/accumulator.ts';
import type { ChatRequest, StreamEvent } from '../../src-proxy/canonical/types.ts';
import { DEFAULT_SETTINGS } from '../../src-proxy/control/contract.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { createAzureOpenAiAdapter } from '../../src-proxy/providers/azure-openai/adapter.ts';
import type { ResolvedTarget, UpstreamContext } from '../../src-proxy/providers/types.ts';
import type { ProviderRecord } from '../../src-proxy/domain/provider.ts';
import { createUpstreamHttp, type UpstreamHttp } from '../../src-proxy/upstream/http-client.ts';
import { azureChat, azurePromptFiltered, startFakeAzure, type FakeAzure } from '../fixtures/fake-azure-upstream.ts';

const azureOpenaiAdapter = createAzureOpenAiAdapter();

const KEY = 'azure-test-key-456';

describe('Azure OpenAI adapter, canonical path', () => {
  let fake: FakeAzure;
  let http: UpstreamHttp;
  let context: UpstreamContext;

  const target = (baseUrl: string, model = 'gpt-4o'): ResolvedTarget => ({
    provider: { id: 'az', kind: 'azure-openai', name: 'az', baseUrl, headers: {}, enabled: true, options: { deployments: { 'gpt-4o': 'gpt4o-prod' } } } as unknown as ProviderRecord,
    model,
    key: { id: 1, label: 'k', secret: KEY },
  });
  const request = (stream: boolean): ChatRequest => ({
    model: 'smart', system: [{ type: 'text', text: 'sys' }], stream, extra: {},
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'thinking', text: 'gemini thoughts' }, { type: 'text', text: 'Hello' }] },
      { role: 'user', content: [{ type: 'text', text: 'Again' }] },
    ],
  });

  beforeEach(async () => {
    fake = await startFakeAzure();
    http = createUpstreamHttp();
    context = { http, signal: new AbortController().signal, timeouts: DEFAULT_SETTINGS.timeouts, clientHeaders: {} };
  });
  afterEach(async () => {
    await http.close();
    await fake.close();
  });

  it('streams from the classic surface, tolerating the empty first chunk and annotation chunks', async () => {
    const stream = await azureOpenaiAdapter.chat(request(true), target(fake.origin), context);
    const events: StreamEvent[] = [];
    for await (const event of stream.events) events.push(event);
    expect(events.filter((event) => event.type === 'text_delta').map((event) => (event as { text: string }).text).join('')).toBe('Hello from Azure');
    expect(events).toContainEqual({ type: 'usage', usage: { inputTokens: 21, outputTokens: 9 } });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const seen = fake.requests.at(-1)!;
    expect(seen.url).toBe('/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21');
    expect(seen.body).not.toHaveProperty('model');
    expect(seen.body!.stream_options).toEqual({ include_usage: true });
    // Reasoning text from another vendor is not sent: Azure rejects unknown fields.
    expect(JSON.stringify(seen.body)).not.toContain('reasoning_content');
  });

  it('collects tool calls from the v1 surface with the deployment as body model', async () => {
    fake.enqueue('chat/completions', azureChat({ toolCalls: [{ id: 'call_1', name: 'f', arguments: '{"a":1}' }] }));
    const stream = await azureOpenaiAdapter.chat(request(false), target(`${fake.v1BaseUrl}/`), context);
    const response = await collectResponse(stream.events, { id: 'x', model: 'x' });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.content).toContainEqual({ type: 'tool_call', id: 'call_1', name: 'f', arguments: '{"a":1}' });
    expect(fake.requests.at(-1)!.url).toBe('/openai/v1/chat/completions');
    expect(fake.requests.at(-1)!.body!.model).toBe('gpt4o-prod');
  });

  it('turns Azure\'s content-filter 400 into a content_filtered error with Azure\'s wording', async () => {
    fake.enqueue('chat/completions', azurePromptFiltered());
    const error = await azureOpenaiAdapter.chat(request(true), target(fake.origin), context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('content_filtered');
    expect((error as GatewayError).status).toBe(400);
    expect((error as Error).message).toMatch(/content management policy/);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('embeds through the embeddings deployment', async () => {
    const result = await azureOpenaiAdapter.embed({ model: 'e', input: ['a'], extra: {} }, target(fake.origin, 'embed-small'), context);
    expect(result.vectors).toEqual([[0.5, -1, 2]]);
    expect(fake.requests.at(-1)!.url).toBe('/openai/deployments/embed-small/embeddings?api-version=2024-10-21');
  });
});
