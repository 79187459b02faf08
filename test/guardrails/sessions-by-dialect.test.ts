/**
 * Sessions through every front door with its official SDK: a conversation keeps one session id
 * as it grows (derived from the client, the system prompt and the first user message), another
 * conversation gets another, an x-session-id header wins, and History lists and filters sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { DOORS, sdkClient, type Turn } from './sdk-clients.ts';

async function rows(harness: Harness) {
  harness.gateway.flushHistory();
  return (await harness.gateway.control.queryHistory({ limit: 100 })).rows;
}

describe('sessions in every dialect', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }],
      aliases: [{ alias: 'smart', targets: [{ provider: 'up', model: 'gpt-fake' }] }],
    });
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });

  const first: Turn = { role: 'user', text: 'Rename the parser module.' };
  const grown: Turn[] = [first, { role: 'assistant', text: 'Which name?' }, { role: 'user', text: 'tokenizer' }];

  for (const door of DOORS) {
    it(`${door}: one conversation is one session as it grows; another first message is another session`, async () => {
      const client = sdkClient(door, harness.origin, harness.token);
      const system = `You are a coding agent (${door}).`;
      await client.ask({ model: 'smart', system, turns: [first], stream: false });
      const [opening] = await rows(harness);
      await client.ask({ model: 'smart', system, turns: grown, stream: true });
      const [later] = await rows(harness);
      expect(opening!.sessionId).toMatch(/^s-[0-9a-f]{20}$/);
      expect(later!.sessionId).toBe(opening!.sessionId);
      await client.ask({ model: 'smart', system, turns: [{ role: 'user', text: 'Write a README.' }], stream: false });
      const [other] = await rows(harness);
      expect(other!.sessionId).not.toBe(opening!.sessionId);
    });

    it(`${door}: x-session-id names the session`, async () => {
      await sdkClient(door, harness.origin, harness.token).ask({ model: 'smart', turns: [first], stream: door === 'ollama', sessionId: `task-42-${door}` });
      expect((await rows(harness))[0]!.sessionId).toBe(`task-42-${door}`);
    });
  }

  it('History lists sessions (newest first, with their requests and models) and filters by one', async () => {
    const sessions = await harness.gateway.control.listSessions({});
    const named = sessions.find((session) => session.session === 'task-42-openai')!;
    expect(named).toMatchObject({ requests: 1, errors: 0, loops: 0, models: ['smart'] });
    const derived = sessions.filter((session) => session.session.startsWith('s-'));
    expect(derived).toHaveLength(DOORS.length * 2);
    expect(derived.filter((session) => session.requests === 2)).toHaveLength(DOORS.length);
    for (let i = 1; i < sessions.length; i++) expect(sessions[i - 1]!.lastAt).toBeGreaterThanOrEqual(sessions[i]!.lastAt);
    const page = await harness.gateway.control.queryHistory({ session: derived.find((session) => session.requests === 2)!.session });
    expect(page.rows).toHaveLength(2);
  });
});
