/**
 * Loop detection through every front door with its official SDK, on the translated path (an
 * OpenAI-shaped client to an Anthropic provider and the other way round): a text loop is cut
 * mid-stream — the client gets the text up to the loop, a notice, and a normal finish, and the
 * upstream is let go — and an agent that repeats the same tool call gets an assistant message
 * saying so without any provider being called. History rows say what repeated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { DOORS, sdkClient, type Door, type Turn } from './sdk-clients.ts';

const SENTENCE = 'I will now check the configuration file again to make sure it is right. ';
const TAIL = 'THIS PART IS NEVER SENT';
/** Twelve copies streamed in pieces of 9 characters, then a tail the client must never see. */
const LOOPING = [...`Let me see. ${SENTENCE.repeat(12)}`.match(/[\s\S]{1,9}/g)!, TAIL];

async function rows(harness: Harness) {
  harness.gateway.flushHistory();
  return (await harness.gateway.control.queryHistory({ limit: 100 })).rows;
}

describe('loop detection in every dialect', () => {
  let openai: FakeOpenAi;
  let anthropic: FakeAnthropic;
  let harness: Harness;
  beforeAll(async () => {
    openai = await startFakeOpenAi();
    anthropic = await startFakeAnthropic();
    harness = await startGateway({
      providers: [
        { id: 'oa', kind: 'openai', baseUrl: openai.baseUrl, keys: ['sk-oa'] },
        { id: 'an', kind: 'anthropic', baseUrl: anthropic.baseUrl, keys: ['sk-an'] },
      ],
      aliases: [
        { alias: 'via-anthropic', targets: [{ provider: 'an', model: 'claude-fake-1' }] },
        { alias: 'via-openai', targets: [{ provider: 'oa', model: 'gpt-fake' }] },
      ],
    });
  });
  afterAll(async () => {
    await harness.close();
    await openai.close();
    await anthropic.close();
  });

  /** The alias whose provider speaks another dialect than the door (so the answer is canonical). */
  const translated = (door: Door) => (door === 'openai' || door === 'responses' ? 'via-anthropic' : 'via-openai');
  const scriptLoop = (door: Door) => {
    if (translated(door) === 'via-anthropic') anthropic.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: LOOPING }] }));
    else openai.enqueue('/v1/chat/completions', textAnswer(LOOPING));
  };

  for (const door of DOORS) {
    for (const stream of [true, false]) {
      it(`${door} (${stream ? 'streaming' : 'whole answer'}): a text loop is cut after its fourth copy with a notice and a normal finish`, async () => {
        scriptLoop(door);
        const answer = await sdkClient(door, harness.origin, harness.token).ask({ model: translated(door), turns: [{ role: 'user', text: 'Fix the config' }], stream });
        expect(answer.text).toContain(SENTENCE.repeat(3).trim());
        expect(answer.text).toContain('[Switchboard stopped this answer: the same passage repeated 4 times.');
        expect(answer.text).not.toContain(TAIL);
        expect(answer.text.split(SENTENCE.trim()).length - 1).toBeLessThanOrEqual(5);
        expect(answer.finish).toMatch(/^(stop|end_turn|completed)$/);
        const row = (await rows(harness)).find((entry) => entry.dialect === door)!;
        expect(row.status).toBe(200);
        expect(row.loop).toMatchObject({ kind: 'text', count: 4, action: 'blocked', what: expect.stringContaining('Iwillnowcheck') });
        // The upstream's last usage report never came: what it reported is kept, the rest estimated.
        expect(row.inputTokens).toBeGreaterThan(0);
        expect(row.outputTokens).toBeGreaterThan(0);
        expect((await harness.gateway.control.getHistoryEntry({ id: row.id }))!.estimated).toBe(true);
      });
    }
  }

  const call = (id: string, path = 'src/config.ts') => ({ id, name: 'read_file', args: { path } });
  /** The agent read the same file four times in a row (arguments in another key order once). */
  const repeatedCalls = (): Turn[] => [
    { role: 'user', text: 'Why does the build fail?' },
    ...[1, 2, 3, 4].flatMap((n): Turn[] => [
      { role: 'assistant', calls: [call(`call_${n}`)] },
      { role: 'tool', results: [{ id: `call_${n}`, name: 'read_file', text: 'export const config = {};' }] },
    ]),
  ];

  for (const door of DOORS) {
    it(`${door}: the same tool call four times in a row is answered locally, naming the call`, async () => {
      const before = openai.requests.length + anthropic.requests.length;
      const answer = await sdkClient(door, harness.origin, harness.token).ask({ model: 'via-openai', turns: repeatedCalls(), tools: true, stream: door !== 'anthropic' });
      expect(answer.text).toContain('Switchboard stopped a tool-call loop');
      expect(answer.text).toContain('read_file {"path":"src/config.ts"}');
      expect(answer.calls).toEqual([]);
      expect(openai.requests.length + anthropic.requests.length).toBe(before);
      const row = (await rows(harness)).find((entry) => entry.dialect === door)!;
      expect(row.loop).toEqual({ kind: 'tool', what: 'read_file {"path":"src/config.ts"}', count: 4, action: 'blocked' });
      expect(row.provider).toBeNull();
    });
  }

  it('three identical calls, or four with other arguments in between, go upstream', async () => {
    const turns = repeatedCalls();
    const three = turns.slice(0, 7);
    expect((await sdkClient('openai', harness.origin, harness.token).ask({ model: 'via-openai', turns: three, tools: true, stream: false })).text).toBe('Hello from fake');
    const varied = turns.map((turn, index) => (index === 3 && turn.role === 'assistant' ? { role: 'assistant' as const, calls: [call('call_2', 'src/other.ts')] } : turn));
    expect((await sdkClient('openai', harness.origin, harness.token).ask({ model: 'via-openai', turns: varied, tools: true, stream: false })).text).toBe('Hello from fake');
    expect((await rows(harness))[0]!.loop).toBeNull();
  });

  it('settings switch it: warn records and lets the answer through; off does nothing', async () => {
    await harness.gateway.control.updateSettings({ loopDetection: { mode: 'warn', toolCalls: { mode: 'warn' } } });
    try {
      scriptLoop('anthropic');
      const answer = await sdkClient('anthropic', harness.origin, harness.token).ask({ model: 'via-openai', turns: [{ role: 'user', text: 'Go' }], stream: true });
      expect(answer.text).toContain(TAIL);
      expect((await rows(harness))[0]!.loop).toMatchObject({ kind: 'text', action: 'warned' });
      const tool = await sdkClient('openai', harness.origin, harness.token).ask({ model: 'via-openai', turns: repeatedCalls(), tools: true, stream: false });
      expect(tool.text).toBe('Hello from fake');
      expect((await rows(harness))[0]!.loop).toMatchObject({ kind: 'tool', action: 'warned' });
      await harness.gateway.control.updateSettings({ loopDetection: { enabled: false, toolCalls: { enabled: false } } });
      scriptLoop('anthropic');
      expect((await sdkClient('anthropic', harness.origin, harness.token).ask({ model: 'via-openai', turns: [{ role: 'user', text: 'Go' }], stream: true })).text).toContain(TAIL);
      expect((await rows(harness))[0]!.loop).toBeNull();
    } finally {
      await harness.gateway.control.updateSettings({ loopDetection: { enabled: true, mode: 'block', toolCalls: { enabled: true, mode: 'block' } } });
    }
  });

  it('chance_then_block lets the fourth identical call through once and blocks the fifth', async () => {
    await harness.gateway.control.updateSettings({ loopDetection: { toolCalls: { mode: 'chance_then_block' } } });
    try {
      const client = sdkClient('openai', harness.origin, harness.token);
      expect((await client.ask({ model: 'via-openai', turns: repeatedCalls(), tools: true, stream: false })).text).toBe('Hello from fake');
      expect((await rows(harness))[0]!.loop).toMatchObject({ action: 'allowed_once', count: 4 });
      // The one chance went upstream with the warning in its system prompt.
      const sent = openai.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
      expect(JSON.stringify(sent.messages.filter((message) => message.role === 'system'))).toContain('the next identical call will be blocked');
      const five: Turn[] = [...repeatedCalls(), { role: 'assistant', calls: [call('call_5')] }, { role: 'tool', results: [{ id: 'call_5', name: 'read_file', text: 'export const config = {};' }] }];
      expect((await client.ask({ model: 'via-openai', turns: five, tools: true, stream: false })).text).toContain('Switchboard stopped a tool-call loop');
      expect((await rows(harness))[0]!.loop).toMatchObject({ action: 'blocked', count: 5 });
    } finally {
      await harness.gateway.control.updateSettings({ loopDetection: { toolCalls: { mode: 'block' } } });
    }
  });
});
