/**
 * Finding 3: a model name never escapes the provider's base path. Every provider kind gets
 * names with `..`, `#`, `?`, control characters and (where the provider takes none) `/`, through
 * `provider/model` addresses and wildcard aliases; each is refused with a 400 in the caller's
 * dialect before any upstream request (so before any key is sent).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { startFakeAzure, type FakeAzure } from '../fixtures/fake-azure-upstream.ts';
import { startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama-upstream.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

/** Names no provider may receive. */
const ALWAYS_BAD = ['../../v1/chat/completions#', 'a/../b', '..', 'x#y', 'x?y=1', 'bad\u0000name', 'bad\nname', 'bad\rname', 'tab\u0007bell', '%2e%2e/x'];
/** Names only providers that take no `/` in a model refuse. */
const SLASHED = ['vendor/model', 'a/b/c'];

describe('model names never escape the provider base path (every provider kind)', () => {
  let openai: FakeOpenAi;
  let anthropic: FakeAnthropic;
  let gemini: FakeGemini;
  let ollama: FakeOllama;
  let azure: FakeAzure;
  let harness: Harness;

  beforeAll(async () => {
    [openai, anthropic, gemini, ollama, azure] = await Promise.all([startFakeOpenAi(), startFakeAnthropic(), startFakeGemini(), startFakeOllama(), startFakeAzure()]);
    harness = await startGateway({
      providers: [
        { id: 'oai', kind: 'openai', baseUrl: openai.baseUrl, keys: ['sk-oai-secret'] },
        { id: 'ant', kind: 'anthropic', baseUrl: anthropic.baseUrl, keys: ['sk-ant-secret'] },
        { id: 'gem', kind: 'gemini', baseUrl: gemini.origin, keys: [gemini.apiKey] },
        { id: 'oll', kind: 'ollama', baseUrl: ollama.origin },
        { id: 'azc', kind: 'azure-openai', baseUrl: azure.origin, keys: [azure.apiKey] },
        { id: 'azv', kind: 'azure-openai', baseUrl: azure.v1BaseUrl, keys: [azure.apiKey] },
      ],
      aliases: [{ alias: 'gem-*', targets: [{ provider: 'gem', model: '*' }] }],
    });
    await harness.gateway.control.refreshModels({});
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([openai.close(), anthropic.close(), gemini.close(), ollama.close(), azure.close()]);
  });

  /** Upstream calls that carry a request (discovery GETs excluded). */
  const upstreamPosts = () =>
    openai.requests.filter((r) => r.method !== 'GET').length +
    anthropic.requests.filter((r) => r.method !== 'GET').length +
    gemini.requests.filter((r) => r.method !== 'GET').length +
    ollama.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/api/show')).length +
    azure.requests.filter((r) => r.method !== 'GET').length;

  const chat = (model: string) =>
    fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });

  const cases: Array<[kind: string, provider: string, name: string]> = [];
  for (const provider of ['oai', 'ant', 'gem', 'oll', 'azc', 'azv']) for (const name of ALWAYS_BAD) cases.push([provider, provider, name]);
  for (const provider of ['gem', 'azc', 'azv']) for (const name of SLASHED) cases.push([provider, provider, name]);

  it.each(cases)('%s: provider %s refuses %j with 400 invalid_model_name before any upstream call', async (_kind, provider, name) => {
    const before = upstreamPosts();
    const response = await chat(`${provider}/${name}`);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(400);
    expect(body.error.code).toBe('invalid_model_name');
    expect(upstreamPosts()).toBe(before);
  });

  it('a wildcard alias cannot smuggle a traversal into a Gemini path', async () => {
    const before = upstreamPosts();
    const response = await chat('gem-../../v1/chat/completions#');
    expect(response.status).toBe(400);
    expect(upstreamPosts()).toBe(before);
  });

  it('the tokenless Ollama lane and the Anthropic door refuse in their own error shapes', async () => {
    const before = upstreamPosts();
    const ollamaLane = await fetch(`${harness.origin}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gem/../../x#', messages: [{ role: 'user', content: 'hi' }], stream: false }),
    });
    expect(ollamaLane.status).toBe(400);
    expect(typeof ((await ollamaLane.json()) as { error: unknown }).error).toBe('string');
    const messages = await fetch(`${harness.origin}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': harness.token, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'azc/../../x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(messages.status).toBe(400);
    expect(await messages.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(upstreamPosts()).toBe(before);
  });

  it('ordinary names still work: vendor/model on OpenAI-compatible kinds, models/… on Gemini, deployments on Azure', async () => {
    expect((await chat('oai/vendor/nested-model')).status).toBe(200);
    expect(openai.requests.at(-1)!.body!.model).toBe('vendor/nested-model');
    expect((await chat('gem/models/gemini-2.5-flash')).status).toBe(200);
    expect(gemini.requests.at(-1)!.path).toMatch(/\/v1beta\/models\/gemini-2\.5-flash:generateContent$/);
    expect((await chat('gem/gemini-2.5-flash')).status).toBe(200);
    expect((await chat(`azc/${azure.deployments[0]}`)).status).toBe(200);
    expect((await chat('oll/llama3.2:latest')).status).toBe(200);
  });
});
