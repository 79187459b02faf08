/**
 * In-chat commands through every front door with its official SDK (OpenAI Chat and Responses,
 * Anthropic, Ollama, Gemini), streaming and not: a turn of commands only is answered by
 * Switchboard with no provider call, a command followed by text applies and the text goes
 * upstream, commands never reach the provider in any turn, a malformed command answers with its
 * syntax, a command inside a code fence is text, `!/model` routes the session and `!/loop(off)`
 * turns loop detection off for that session only. History rows record the applied commands.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { ALL_DOORS, sdkClient, type Door, type Turn } from './sdk-clients.ts';

async function rows(harness: Harness) {
  harness.gateway.flushHistory();
  return (await harness.gateway.control.queryHistory({ limit: 200 })).rows;
}

describe('in-chat commands in every dialect', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  /** Requests the upstream saw before the current test (each test checks its own: one sends a fenced command on purpose). */
  let seen = 0;
  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }],
      aliases: [
        { alias: 'smart', targets: [{ provider: 'up', model: 'gpt-smart' }] },
        { alias: 'cheap', targets: [{ provider: 'up', model: 'gpt-cheap' }] },
      ],
    });
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });
  afterEach(() => {
    seen = upstream.requests.length;
  });

  /** The chat requests the upstream received in this test. */
  const upstreamCalls = () => upstream.requests.slice(seen).filter((request) => request.path.endsWith('/chat/completions'));
  const neverSawPrefix = () => {
    for (const request of upstreamCalls()) expect(JSON.stringify(request.body)).not.toContain('!/');
  };
  const ask = (door: Door, turns: Turn[], stream: boolean, sessionId: string, extra: { tools?: boolean; model?: string } = {}) =>
    sdkClient(door, harness.origin, harness.token).ask({ model: extra.model ?? 'smart', turns, stream, sessionId, tools: extra.tools });

  for (const door of ALL_DOORS) {
    for (const stream of [false, true]) {
      const mode = stream ? 'streaming' : 'whole answer';
      it(`${door} (${mode}): a turn of commands only is answered by Switchboard, no provider called`, async () => {
        const answer = await ask(door, [{ role: 'user', text: '!/set(temperature=0.2, max_tokens=4000)\n!/loop(off)' }], stream, `only-${door}-${stream}`);
        expect(answer.text).toContain('Overrides: temperature=0.2, max_tokens=4000.');
        expect(answer.text).toContain('Loop detection: off for this session.');
        expect(answer.finish).toMatch(/^(stop|end_turn|completed|STOP)$/);
        expect(upstreamCalls()).toHaveLength(0);
        const row = (await rows(harness)).find((entry) => entry.sessionId === `only-${door}-${stream}`)!;
        expect(row).toMatchObject({ status: 200, provider: null, commands: ['!/set(temperature=0.2, max_tokens=4000)', '!/loop(off)'] });
      });

      it(`${door} (${mode}): a malformed command answers with the syntax and changes nothing`, async () => {
        const answer = await ask(door, [{ role: 'user', text: '!/set(temperature=hot)\nand then explain' }], stream, `bad-${door}-${stream}`);
        expect(answer.text).toContain('Switchboard did not apply these commands');
        expect(answer.text).toContain('temperature is a number from 0 to 2');
        expect(answer.text).toContain('Syntax: !/set(temperature=0.2');
        expect(upstreamCalls()).toHaveLength(0);
        const status = await ask(door, [{ role: 'user', text: '!/status' }], false, `bad-${door}-${stream}`);
        expect(status.text).toContain('Overrides: none');
      });

      it(`${door} (${mode}): a command and text — the command applies, the text alone goes upstream, in later turns too`, async () => {
        const session = `mixed-${door}-${stream}`;
        const first: Turn = { role: 'user', text: '!/set(temperature=0.3)\nWhat is two plus two?' };
        expect((await ask(door, [first], stream, session)).text).toBe('Hello from fake');
        const later = await ask(door, [first, { role: 'assistant', text: 'Four.' }, { role: 'user', text: 'And three plus three?' }], stream, session);
        expect(later.text).toBe('Hello from fake');
        const [one, two] = upstreamCalls();
        expect(one!.body).toMatchObject({ temperature: 0.3 });
        expect(JSON.stringify(one!.body)).toContain('What is two plus two?');
        expect(two!.body).toMatchObject({ temperature: 0.3 });
        expect(JSON.stringify(two!.body)).toContain('And three plus three?');
        neverSawPrefix();
        const [laterRow, firstRow] = (await rows(harness)).filter((entry) => entry.sessionId === session);
        expect(firstRow!.commands).toEqual(['!/set(temperature=0.3)']);
        expect(laterRow!.commands).toBeNull();
      });
    }

    it(`${door}: a command inside a code fence, inline code or a quote is text and goes upstream`, async () => {
      const text = 'Why does this print nothing?\n```sh\n!/help\n```\nI also tried `!/status` and\n> !/loop(off)';
      expect((await ask(door, [{ role: 'user', text }], false, `fence-${door}`)).text).toBe('Hello from fake');
      const [call] = upstreamCalls();
      expect(JSON.stringify(call!.body)).toContain('!/help');
      expect(JSON.stringify(call!.body)).toContain('> !/loop(off)');
      expect((await rows(harness))[0]!.commands).toBeNull();
    });

    it(`${door}: !/model routes the session; an earlier commands-only turn and its answer never go upstream; !/model() resets`, async () => {
      const session = `model-${door}`;
      const set: Turn = { role: 'user', text: '!/model(cheap)' };
      const answer = await ask(door, [set], door === 'gemini', session);
      expect(answer.text).toContain('Model: this session now goes to cheap → up/gpt-cheap.');
      const turns: Turn[] = [set, { role: 'assistant', text: answer.text }, { role: 'user', text: 'Summarise the design.' }];
      await ask(door, turns, true, session);
      const reset: Turn[] = [...turns, { role: 'assistant', text: 'Hello from fake' }, { role: 'user', text: '!/model()' }];
      expect((await ask(door, reset, false, session)).text).toContain('Model: back to the one the client asks for (smart).');
      await ask(door, [...reset, { role: 'assistant', text: 'ok' }, { role: 'user', text: 'Again.' }], false, session);
      const [routed, back] = upstreamCalls();
      expect(routed!.body).toMatchObject({ model: 'gpt-cheap' });
      expect((routed!.body as { messages: unknown[] }).messages).toHaveLength(1);
      expect(JSON.stringify(routed!.body)).not.toContain('this session now goes to');
      expect(back!.body).toMatchObject({ model: 'gpt-smart' });
      neverSawPrefix();
      const other = await ask(door, [{ role: 'user', text: 'Unrelated task' }], false, `model-other-${door}`);
      expect(other.text).toBe('Hello from fake');
      expect(upstreamCalls()[2]!.body).toMatchObject({ model: 'gpt-smart' });
    });
  }

  const call = (id: string) => ({ id, name: 'read_file', args: { path: 'src/config.ts' } });
  const looping = (first: string): Turn[] => [
    { role: 'user', text: first },
    ...[1, 2, 3, 4].flatMap((n): Turn[] => [
      { role: 'assistant', calls: [call(`call_${n}`)] },
      { role: 'tool', results: [{ id: `call_${n}`, name: 'read_file', text: 'export const config = {};' }] },
    ]),
  ];

  for (const door of ALL_DOORS) {
    it(`${door}: !/loop(off) turns loop detection off for that session only`, async () => {
      const off = await ask(door, [{ role: 'user', text: '!/loop(off)' }], false, `loops-off-${door}`);
      expect(off.text).toContain('Loop detection: off for this session.');
      const mine = await ask(door, looping('!/loop(off)\nWhy does the build fail?'), false, `loops-off-${door}`, { tools: true });
      expect(mine.text).toBe('Hello from fake');
      const theirs = await ask(door, looping('Why does the build fail?'), false, `loops-on-${door}`, { tools: true });
      expect(theirs.text).toContain('Switchboard stopped a tool-call loop');
      expect(upstreamCalls()).toHaveLength(1);
      neverSawPrefix();
    });
  }

  it('!/help lists the commands with the session state; !/status shows the route, overrides, limits and spend', async () => {
    const session = 'help-and-status';
    await ask('openai', [{ role: 'user', text: '!/model(cheap) !/set(reasoning=high)' }], false, session);
    const help = await ask('anthropic', [{ role: 'user', text: '!/help' }], true, session);
    for (const command of ['!/help', '!/model(name)', '!/set(', '!/unset(', '!/loop(off)', '!/status']) expect(help.text).toContain(command);
    expect(help.text).toContain(`Session: ${session}`);
    expect(help.text).toContain('Route: cheap → up/gpt-cheap (set by !/model)');
    expect(help.text).toContain('Overrides: reasoning=high');
    const status = await ask('responses', [{ role: 'user', text: '!/status' }], false, session);
    expect(status.text).toContain('Route: cheap → up/gpt-cheap');
    expect(status.text).toMatch(/Client: \S+/);
    expect(status.text).toContain('Limits: none');
    expect(status.text).toMatch(/Spend today: \d+ requests, \d+ tokens, \$\d+\.\d{4}/);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('an unknown model or command is refused with the reason, and the session keeps its route', async () => {
    const answer = await ask('openai', [{ role: 'user', text: '!/model(no-such-model)' }], false, 'unknown');
    expect(answer.text).toMatch(/Model no-such-model cannot be used: .+\. The session keeps smart\./);
    const unknown = await ask('ollama', [{ role: 'user', text: '!/frobnicate' }], false, 'unknown');
    expect(unknown.text).toContain('"!/frobnicate" is not a command. Syntax: commands: !/help, !/status');
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('settings.commands: off passes the text through; another prefix is honoured', async () => {
    await harness.gateway.control.updateSettings({ commands: { enabled: false } });
    try {
      expect((await ask('openai', [{ role: 'user', text: '!/help' }], false, 'off')).text).toBe('Hello from fake');
      expect(JSON.stringify(upstreamCalls()[0]!.body)).toContain('!/help');
      await harness.gateway.control.updateSettings({ commands: { enabled: true, prefix: '§§' } });
      expect((await ask('openai', [{ role: 'user', text: '§§loop(off)' }], false, 'prefix')).text).toContain('Loop detection: off');
      expect(upstreamCalls()).toHaveLength(1);
    } finally {
      await harness.gateway.control.updateSettings({ commands: { enabled: true, prefix: '!/' } });
    }
  });

  it('settings.sessions.derive off: only x-session-id names a session, and commands that keep state say so', async () => {
    await harness.gateway.control.updateSettings({ sessions: { derive: false } });
    try {
      const client = sdkClient('openai', harness.origin, harness.token);
      expect((await client.ask({ model: 'smart', turns: [{ role: 'user', text: 'Hi' }], stream: false })).text).toBe('Hello from fake');
      expect((await rows(harness))[0]!.sessionId).toBeNull();
      const answer = await client.ask({ model: 'smart', turns: [{ role: 'user', text: '!/loop(off)' }], stream: false });
      expect(answer.text).toContain('it names no session. Send an x-session-id header');
      await ask('openai', [{ role: 'user', text: 'Hi' }], false, 'named');
      expect((await rows(harness))[0]!.sessionId).toBe('named');
    } finally {
      await harness.gateway.control.updateSettings({ sessions: { derive: true } });
    }
  });
});
