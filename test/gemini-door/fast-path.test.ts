// A Gemini client on a Gemini provider takes the same-dialect fast path: the @google/genai SDK's
// bodies go upstream unchanged but for the model, the upstream's bytes come back untouched
// (thought signatures included), usage is tapped on the side for the history.
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geminiError, geminiText, geminiToolCalls, startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

let fake: FakeGemini;
let harness: Harness;
let ai: GoogleGenAI;
/** The last model call (model discovery runs in the background and is left out). */
const lastCall = () => fake.requests.filter((request) => request.operation !== 'models').at(-1)!;
const post = (path: string, body: unknown, key = harness.token) =>
  fetch(`${harness.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-goog-api-key': key }, body: JSON.stringify(body) });

beforeAll(async () => {
  fake = await startFakeGemini();
  harness = await startGateway({
    providers: [{ id: 'gem', kind: 'gemini', baseUrl: fake.origin, keys: [fake.apiKey] }],
    aliases: [
      { alias: 'fast', targets: [{ provider: 'gem', model: 'gemini-2.5-flash' }] },
      { alias: 'embedder', targets: [{ provider: 'gem', model: 'gemini-embedding-001' }] },
    ],
  });
  ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin, retryOptions: { attempts: 1 } } });
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});

describe('the Gemini front door to a Gemini provider (fast path)', () => {
  it('forwards generateContent unchanged but for the model, and the answer as the upstream sent it', async () => {
    const config = { temperature: 0.2, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT' as never, threshold: 'BLOCK_NONE' as never }], systemInstruction: 'Terse.' };
    const response = await ai.models.generateContent({ model: 'fast', contents: 'Hi', config });
    expect(response.text).toBe('Hello from Gemini');
    // The upstream's own answer: its model version and response id, not Switchboard's.
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    expect(response.responseId).toBe('resp-fake-1');
    const seen = lastCall();
    expect(seen).toMatchObject({ operation: 'generateContent', model: 'gemini-2.5-flash' });
    expect(seen.headers['x-goog-api-key']).toBe(fake.apiKey);
    expect(seen.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Terse.' }] },
      generationConfig: { temperature: 0.2 },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    });
  });

  it('streams the upstream\'s SSE bytes untouched, and records its usage', async () => {
    fake.enqueue('streamGenerateContent', geminiText(['Fast', ' path'], { prompt: 31 }));
    const answer = await post('/v1beta/models/fast:streamGenerateContent?alt=sse', { contents: [{ role: 'user', parts: [{ text: 'Go' }] }] });
    expect(answer.headers.get('content-type')).toContain('text/event-stream');
    const raw = await answer.text();
    const events = raw.split('\r\n\r\n').filter((event) => event.startsWith('data: '));
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1]!.slice(6))).toMatchObject({ candidates: [{ finishReason: 'STOP' }], modelVersion: 'gemini-2.5-flash', responseId: 'resp-fake-1' });
    harness.gateway.flushHistory();
    const row = (await harness.gateway.control.queryHistory({ dialect: 'gemini', limit: 1 })).rows[0]!;
    expect(row).toMatchObject({ endpoint: '/v1beta/models/{model}:streamGenerateContent', provider: 'gem', upstreamModel: 'gemini-2.5-flash', inputTokens: 31, outputTokens: 2, status: 200 });
  });

  it('keeps the form a client asked for: without alt=sse the stream is one JSON array', async () => {
    fake.enqueue('streamGenerateContent', geminiText(['A', 'B']));
    const answer = await post('/v1beta/models/fast:streamGenerateContent', { contents: [{ role: 'user', parts: [{ text: 'Go' }] }] });
    const chunks = (await answer.json()) as Array<{ candidates: Array<{ content: { parts: Array<{ text: string }> } }> }>;
    expect(chunks.map((chunk) => chunk.candidates[0]!.content.parts[0]!.text)).toEqual(['A', 'B']);
    expect(lastCall().url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
  });

  it('carries Gemini 3 thought signatures on function calls both ways, verbatim', async () => {
    fake.enqueue('streamGenerateContent', geminiToolCalls([{ name: 'get_weather', args: { city: 'Oslo' }, signature: 'SIG-GEMINI-3' }, { name: 'get_time', args: { tz: 'CET' } }]));
    const tools = [{ functionDeclarations: [{ name: 'get_weather' }, { name: 'get_time' }] }];
    const stream = await ai.models.generateContentStream({ model: 'fast', contents: 'Weather?', config: { tools } });
    const parts = [];
    for await (const chunk of stream) parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
    expect(parts.map((part) => [part.functionCall?.name, part.thoughtSignature])).toEqual([
      ['get_weather', 'SIG-GEMINI-3'],
      ['get_time', undefined],
    ]);
    // The next turn replays them: the fake refuses (400) a first functionCall without its signature.
    const response = await ai.models.generateContent({
      model: 'fast',
      config: { tools },
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }] },
        { role: 'model', parts },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: '3C' } } }, { functionResponse: { name: 'get_time', response: { output: '09:00' } } }] },
      ],
    });
    expect(response.text).toBe('Hello from Gemini');
    expect((lastCall().body!.contents as Array<{ parts: Array<Record<string, unknown>> }>)[1]!.parts[0]).toMatchObject({ thoughtSignature: 'SIG-GEMINI-3' });
  });

  it('passes countTokens, embedContent and batchEmbedContents to the provider', async () => {
    const counted = await ai.models.countTokens({ model: 'fast', contents: ['one', 'two'] });
    expect(counted.totalTokens).toBe(7); // the fake counts 7 per content; the SDK sends the two strings as one content
    expect(lastCall()).toMatchObject({ operation: 'countTokens', model: 'gemini-2.5-flash' });

    const batch = await ai.models.embedContent({ model: 'embedder', contents: ['a', 'b'] });
    expect(batch.embeddings?.map((embedding) => embedding.values)).toEqual([[0.5, -0.25, 0.125], [1.5, -0.25, 0.125]]);
    expect((lastCall().body!.requests as Array<{ model: string }>).map((request) => request.model)).toEqual(['models/gemini-embedding-001', 'models/gemini-embedding-001']);

    const single = await post('/v1beta/models/embedder:embedContent', { content: { parts: [{ text: 'a' }] } });
    expect(await single.json()).toEqual({ embedding: { values: [0.25, 0.5, 0.75] } });
  });

  it('hands Google\'s own error body to the client as the provider sent it', async () => {
    fake.enqueue('generateContent', geminiError(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'));
    const answer = await post('/v1beta/models/fast:generateContent', { contents: [{ role: 'user', parts: [{ text: 'x' }] }] });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: { code: 400, message: 'User location is not supported for the API use.', status: 'FAILED_PRECONDITION' } });
  });

  it('refuses a malformed body before anything is forwarded', async () => {
    const before = fake.requests.length;
    const answer = await post('/v1beta/models/fast:generateContent', { contents: 'hi' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringContaining('contents') } });
    const unknown = await post('/v1beta/models/fast:predict', { instances: [] });
    expect(unknown.status).toBe(404);
    expect(fake.requests.length).toBe(before);
  });
});
