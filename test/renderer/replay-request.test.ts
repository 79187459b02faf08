import { describe, expect, it } from 'vitest';
import type { HistoryDetail } from '../../src-proxy/control/contract.ts';
import { buildReplay, replayableBody } from '../../src-renderer/pages/history/replay-request.ts';

const detail = (over: Partial<HistoryDetail>): HistoryDetail => ({
  id: 'r1', startedAt: 1, durationMs: 1, ttftMs: null, dialect: 'openai', endpoint: '/v1/chat/completions', client: 'c', requestedModel: 'first',
  provider: 'p', upstreamModel: 'm', attempts: [], status: 200, errorCode: null, stream: false, inputTokens: null, outputTokens: null, cache: null,
  cacheReadTokens: null, cacheWriteTokens: null, estimated: false, errorMessage: null, notes: [], requestHeaders: null,
  bodies: { clientRequest: '{"model":"first","messages":[]}', upstreamRequest: null, response: null },
  ...over,
});

describe('replay request', () => {
  it('offers only a captured JSON object', () => {
    expect(replayableBody(detail({}))).toContain('"model": "first"');
    expect(replayableBody(detail({ bodies: null }))).toBeNull();
    expect(replayableBody(detail({ bodies: { clientRequest: 'not json', upstreamRequest: null, response: null } }))).toBeNull();
  });

  it('puts the chosen alias in the body, or in the path for Gemini, and the token where each door reads it', () => {
    const openai = buildReplay(detail({}), 'http://127.0.0.1:1', '{"model":"first","messages":[]}', 'second', 'tok');
    expect(openai.url).toBe('http://127.0.0.1:1/v1/chat/completions');
    expect(JSON.parse(openai.body)).toEqual({ model: 'second', messages: [] });
    expect(openai.headers.authorization).toBe('Bearer tok');
    const asSent = buildReplay(detail({}), 'http://h', '{"model":"first"}', '', 'tok');
    expect(JSON.parse(asSent.body)).toEqual({ model: 'first' });
    const gemini = buildReplay(detail({ dialect: 'gemini', endpoint: '/v1beta/models/{model}:generateContent' }), 'http://h', '{"contents":[]}', 'sec ond', 'tok');
    expect(gemini.url).toBe('http://h/v1beta/models/sec%20ond:generateContent');
    expect(buildReplay(detail({ dialect: 'gemini', endpoint: '/v1beta/models/{model}:generateContent' }), 'http://h', '{}', '', 'tok').url).toBe('http://h/v1beta/models/first:generateContent');
    expect(gemini.headers['x-goog-api-key']).toBe('tok');
    expect(() => buildReplay(detail({}), 'http://h', '[1]', '', 'tok')).toThrow(SyntaxError);
  });
});
