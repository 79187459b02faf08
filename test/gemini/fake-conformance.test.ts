// The fake Gemini upstream must speak the real format: Google's own SDK is the judge.
import { GoogleGenAI } from '@google/genai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { geminiToolCalls, geminiText, startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';

describe('the fake Gemini upstream, read by @google/genai', () => {
  let fake: FakeGemini;
  let ai: GoogleGenAI;

  beforeEach(async () => {
    fake = await startFakeGemini();
    ai = new GoogleGenAI({ apiKey: fake.apiKey, httpOptions: { baseUrl: fake.origin } });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('streams text with running usage that the SDK reads chunk by chunk', async () => {
    fake.enqueue('streamGenerateContent', geminiText(['Hel', 'lo'], { thoughts: ['pondering'], thoughtTokens: 5 }));
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' });
    let text = '';
    let last;
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      last = chunk;
    }
    expect(text).toBe('Hello');
    expect(last?.usageMetadata).toMatchObject({ promptTokenCount: 12, candidatesTokenCount: 2, thoughtsTokenCount: 5 });
    expect(last?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(fake.requests[0]!.url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('answers generateContent with function calls and their thought signatures', async () => {
    fake.enqueue('generateContent', geminiToolCalls([{ name: 'get_weather', args: { city: 'Paris' }, signature: 'c2lnLTE=' }]));
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Weather?' });
    expect(response.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
    expect(response.candidates?.[0]?.content?.parts?.[0]?.thoughtSignature).toBe('c2lnLTE=');
  });

  it('lists models page by page and embeds in batches', async () => {
    const pager = await ai.models.list({ config: { pageSize: 2 } });
    const names: string[] = [];
    for await (const model of pager) names.push(model.name ?? '');
    expect(names).toHaveLength(4);
    const embedded = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: ['a', 'b'] });
    expect(embedded.embeddings?.map((entry) => entry.values)).toEqual([[0.5, -0.25, 0.125], [1.5, -0.25, 0.125]]);
  });

  it('rejects a wrong key the way Gemini does, and the SDK surfaces it', async () => {
    const wrong = new GoogleGenAI({ apiKey: 'nope', httpOptions: { baseUrl: fake.origin } });
    await expect(wrong.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' })).rejects.toThrow(/API key not valid/);
  });
});
