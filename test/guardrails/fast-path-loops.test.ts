/**
 * Text loops on the same-dialect fast path, through every front door with its official SDK
 * (each door to a provider of its own format, so the upstream's bytes are forwarded): the loop
 * is cut after the frame that completed it, with the notice as text and a normal finish in the
 * client's own dialect, the tail never reaches the client, the history row says what repeated,
 * and its usage keeps what the upstream reported plus an estimate of the rest. `!/loop(off)`
 * lets that session's answer through whole; mode warn records only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { geminiText, startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';
import { ollamaChatAnswer, startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama-upstream.ts';
import { startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { responsesAnswer, startFakeResponses, type FakeResponses } from '../fixtures/fake-responses-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { ALL_DOORS, sdkClient, type Door } from './sdk-clients.ts';

const SENTENCE = 'I will now check the configuration file again to make sure it is right. ';
const TAIL = 'THIS PART IS NEVER SENT';
/** Twelve copies streamed in pieces of 9 characters (one frame each), then a tail the client must never see. */
const LOOPING = [...`Let me see. ${SENTENCE.repeat(12)}`.match(/[\s\S]{1,9}/g)!, TAIL];

async function rows(harness: Harness) {
  harness.gateway.flushHistory();
  return (await harness.gateway.control.queryHistory({ limit: 100 })).rows;
}

describe('text loops on the same-dialect fast path', () => {
  let openai: FakeOpenAi;
  let anthropic: FakeAnthropic;
  let ollama: FakeOllama;
  let gemini: FakeGemini;
  let responses: FakeResponses;
  let harness: Harness;
  beforeAll(async () => {
    [openai, anthropic, ollama, gemini, responses] = await Promise.all([startFakeOpenAi(), startFakeAnthropic(), startFakeOllama(), startFakeGemini(), startFakeResponses()]);
    harness = await startGateway({
      providers: [
        { id: 'oa', kind: 'openai', baseUrl: openai.baseUrl, keys: ['sk-oa'] },
        { id: 'an', kind: 'anthropic', baseUrl: anthropic.baseUrl, keys: ['sk-an'] },
        { id: 'ol', kind: 'ollama', baseUrl: ollama.origin },
        { id: 'gem', kind: 'gemini', baseUrl: gemini.origin, keys: [gemini.apiKey] },
        { id: 'rs', kind: 'openai', baseUrl: responses.baseUrl, keys: ['sk-rs'], options: { supportsResponses: true } },
      ],
      aliases: [
        { alias: 'same-openai', targets: [{ provider: 'oa', model: 'gpt-fake' }] },
        { alias: 'same-anthropic', targets: [{ provider: 'an', model: 'claude-fake-1' }] },
        { alias: 'same-ollama', targets: [{ provider: 'ol', model: 'llama-fake' }] },
        { alias: 'same-gemini', targets: [{ provider: 'gem', model: 'gemini-2.5-flash' }] },
        { alias: 'same-responses', targets: [{ provider: 'rs', model: 'gpt-fake' }] },
      ],
    });
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([openai.close(), anthropic.close(), ollama.close(), gemini.close(), responses.close()]);
  });

  /** Scripts the looping answer at the door's own provider; returns how many requests it has seen. */
  const scriptLoop = (door: Door): (() => number) => {
    switch (door) {
      case 'openai':
        openai.enqueue('/v1/chat/completions', textAnswer(LOOPING, { usage: { prompt: 21, completion: 300 } }));
        return () => openai.requests.filter((request) => request.path.endsWith('/chat/completions')).length;
      case 'anthropic':
        anthropic.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: LOOPING }], usage: { input: 21, output: 300 } }));
        return () => anthropic.requests.filter((request) => request.path === '/v1/messages').length;
      case 'ollama':
        ollama.enqueue('/api/chat', ollamaChatAnswer(LOOPING));
        return () => ollama.requests.filter((request) => request.path === '/api/chat').length;
      case 'gemini':
        gemini.enqueue('streamGenerateContent', geminiText(LOOPING, { prompt: 21 }));
        return () => gemini.requests.filter((request) => request.operation === 'streamGenerateContent').length;
      case 'responses':
        responses.enqueue(responsesAnswer([{ type: 'message', parts: LOOPING }], { usage: { input: 21, output: 300 } }));
        return () => responses.requests.filter((request) => request.path.endsWith('/responses')).length;
    }
  };

  for (const door of ALL_DOORS) {
    it(`${door}: a text loop streamed through the fast path is cut with a notice and a normal finish; usage is kept`, async () => {
      const seen = scriptLoop(door);
      const before = seen();
      const answer = await sdkClient(door, harness.origin, harness.token).ask({ model: `same-${door}`, turns: [{ role: 'user', text: 'Fix the config' }], stream: true, sessionId: `fast-${door}` });
      expect(seen()).toBe(before + 1);
      expect(answer.text).toContain(SENTENCE.repeat(3).trim());
      expect(answer.text).toContain('[Switchboard stopped this answer: the same passage repeated 4 times.');
      expect(answer.text).not.toContain(TAIL);
      expect(answer.finish).toMatch(/^(stop|end_turn|completed|STOP)$/);
      const row = (await rows(harness)).find((entry) => entry.sessionId === `fast-${door}`)!;
      expect(row).toMatchObject({ status: 200, errorCode: null, provider: expect.any(String) });
      expect((await harness.gateway.control.getHistoryEntry({ id: row.id }))!.estimated).toBe(true);
      expect(row.loop).toMatchObject({ kind: 'text', count: 4, action: 'blocked', what: expect.stringContaining('Iwillnowcheck') });
      expect(row.inputTokens).toBeGreaterThan(0);
      expect(row.outputTokens).toBeGreaterThan(0);
    });
  }

  it('!/loop(off) lets that session stream the whole answer; mode warn records and cuts nothing', async () => {
    const client = sdkClient('anthropic', harness.origin, harness.token);
    await client.ask({ model: 'same-anthropic', turns: [{ role: 'user', text: '!/loop(off)' }], stream: false, sessionId: 'fast-off' });
    scriptLoop('anthropic');
    expect((await client.ask({ model: 'same-anthropic', turns: [{ role: 'user', text: 'Go' }], stream: true, sessionId: 'fast-off' })).text).toContain(TAIL);
    expect((await rows(harness))[0]!.loop).toBeNull();
    await harness.gateway.control.updateSettings({ loopDetection: { mode: 'warn' } });
    try {
      scriptLoop('openai');
      const answer = await sdkClient('openai', harness.origin, harness.token).ask({ model: 'same-openai', turns: [{ role: 'user', text: 'Go' }], stream: true, sessionId: 'fast-warn' });
      expect(answer.text).toContain(TAIL);
      const row = (await rows(harness))[0]!;
      expect(row.loop).toMatchObject({ kind: 'text', action: 'warned' });
      expect(row).toMatchObject({ inputTokens: 21, outputTokens: 300 });
      expect((await harness.gateway.control.getHistoryEntry({ id: row.id }))!.estimated).toBe(false);
    } finally {
      await harness.gateway.control.updateSettings({ loopDetection: { mode: 'block' } });
    }
  });
});
