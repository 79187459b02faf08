// The Gemini provider's same-dialect fast path (the one a Gemini client's own calls take): the
// body goes upstream unchanged but for the model and the alias's overrides; the key only in
// x-goog-api-key; a stream keeps the form the client asked for.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src-proxy/control/contract.ts';
import type { ProviderRecord } from '../../src-proxy/domain/provider.ts';
import { createGeminiAdapter } from '../../src-proxy/providers/gemini/adapter.ts';
import type { ResolvedTarget, UpstreamContext } from '../../src-proxy/providers/types.ts';
import { createUpstreamHttp, type UpstreamHttp } from '../../src-proxy/upstream/http-client.ts';
import { geminiText, startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';

async function text(body: AsyncIterable<Buffer>): Promise<string> {
  let out = '';
  for await (const chunk of body) out += chunk.toString('utf8');
  return out;
}

describe('Gemini provider, same-dialect fast path', () => {
  let fake: FakeGemini;
  let http: UpstreamHttp;
  let context: UpstreamContext;
  const adapter = createGeminiAdapter();
  const target = (overrides?: ResolvedTarget['overrides']): ResolvedTarget => ({
    provider: { id: 'g', kind: 'gemini', name: 'g', baseUrl: fake.origin, headers: {}, enabled: true, options: {} } as unknown as ProviderRecord,
    model: 'gemini-2.5-flash',
    key: { id: 1, label: 'k', secret: fake.apiKey },
    overrides,
    metadata: { maxOutputTokens: 1000 },
  });
  const contents = [{ role: 'user', parts: [{ text: 'Hi' }] }];

  beforeEach(async () => {
    fake = await startFakeGemini();
    http = createUpstreamHttp();
    context = { http, signal: new AbortController().signal, timeouts: DEFAULT_SETTINGS.timeouts, clientHeaders: {} };
  });
  afterEach(async () => {
    await http.close();
    await fake.close();
  });

  it('takes exactly the Gemini methods unchanged', () => {
    const provider = target().provider;
    for (const method of ['generateContent', 'streamGenerateContent', 'countTokens', 'embedContent', 'batchEmbedContents']) {
      expect(adapter.supportsNative(`gemini.${method}`, provider)).toBe(true);
    }
    expect(adapter.supportsNative('openai.chat', provider)).toBe(false);
  });

  it('forwards generateContent to the target model with the overrides applied to generationConfig', async () => {
    const body = { contents, generationConfig: { temperature: 1.5, maxOutputTokens: 99_999, candidateCount: 1 }, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] };
    const native = await adapter.forward({ endpoint: 'gemini.generateContent', body, stream: false }, target({ maxTemperature: 1 }), context);
    const answer = JSON.parse(await text(native.body)) as { candidates: Array<{ content: { parts: Array<{ text: string }> } }> };
    expect(answer.candidates[0]?.content.parts.map((part) => part.text).join('')).toBe('Hello from Gemini');
    const seen = fake.requests.at(-1)!;
    expect(seen).toMatchObject({ operation: 'generateContent', model: 'gemini-2.5-flash', url: '/v1beta/models/gemini-2.5-flash:generateContent' });
    expect(seen.headers['x-goog-api-key']).toBe(fake.apiKey);
    expect(seen.body).toEqual({ ...body, generationConfig: { temperature: 1, maxOutputTokens: 1000, candidateCount: 1 } });
  });

  it('streams with alt=sse when the client asked for SSE, bytes as the upstream sent them', async () => {
    fake.enqueue('streamGenerateContent', geminiText(['One', ' two']));
    const native = await adapter.forward({ endpoint: 'gemini.streamGenerateContent', body: { contents }, stream: true, query: 'alt=sse' }, target(), context);
    const raw = await text(native.body);
    expect(raw.split('\r\n\r\n').filter(Boolean)).toHaveLength(2);
    expect(fake.requests.at(-1)!.url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('puts the target model into each request of a batch embedding', async () => {
    const body = { requests: [{ model: 'models/whatever', content: { parts: [{ text: 'a' }] } }, { model: 'models/whatever', content: { parts: [{ text: 'b' }] } }] };
    const native = await adapter.forward({ endpoint: 'gemini.batchEmbedContents', body, stream: false }, target(), context);
    expect(JSON.parse(await text(native.body))).toEqual({ embeddings: [{ values: [0.5, -0.25, 0.125] }, { values: [1.5, -0.25, 0.125] }] });
    expect((fake.requests.at(-1)!.body!.requests as Array<{ model: string }>).map((request) => request.model)).toEqual(['models/gemini-2.5-flash', 'models/gemini-2.5-flash']);
  });

  it('keeps Google\'s error body on the error, for a Gemini client to receive as sent', async () => {
    const error = await adapter.forward({ endpoint: 'gemini.generateContent', body: { contents: [] }, stream: false }, target(), context).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, upstreamBody: { status: 400 } });
    expect(JSON.parse((error as { upstreamBody: { body: Buffer } }).upstreamBody.body.toString())).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
  });
});
