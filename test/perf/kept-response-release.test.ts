// @vitest-environment node
/**
 * A kept Responses answer waits up to 100 ms for its batch to be written (store/responses-repository.ts),
 * and the handler of its write's promise lives as long. That handler must not hold the request
 * that made it: made inside createResponse it held the call's whole scope (the exchange, the
 * client's body, the parsed request), so under load every kept answer's request survived the young
 * generation's scavenges and was promoted (the Responses→Chat pair's GC, README, Performance).
 * Checked through the real engine, a real SQLite file and the official SDK: once the answer has
 * reached the client and while its row is still queued, the client's parsed body must be collectable.
 */
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

describe('a kept Responses answer waiting for its batch', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'chatonly', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-chat-upstream'] }],
      aliases: [{ alias: 'codex-model', targets: [{ provider: 'chatonly', model: 'fake-large' }] }],
    });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('does not hold the request it answered', async () => {
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const file = new Database(join(harness.dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true });
    const keptRows = () => (file.prepare('SELECT count(*) AS n FROM kept_responses').get() as { n: number }).n;
    const parse = JSON.parse;
    let body: WeakRef<object> | null = null;
    const marker = 'Is this request still held?';
    // The engine parses the client's body with JSON.parse (security/json-body.ts): keep a weak
    // reference to that object, and nothing else (a spy would hold its results).
    JSON.parse = function watched(this: unknown, text: string, reviver?: Parameters<typeof parse>[1]) {
      const value = parse.call(JSON, text, reviver) as unknown;
      if (typeof value === 'object' && value !== null && (value as { input?: unknown }).input === marker && (value as { model?: unknown }).model === 'codex-model') body = new WeakRef(value);
      return value;
    } as typeof JSON.parse;
    const checked: boolean[] = [];
    try {
      // The check needs the row still queued (the batch is written 100 ms after the answer ended):
      // on a loaded machine a round may miss that window, so up to five rounds, at least one in it.
      for (let round = 0; round < 5 && checked.length === 0; round++) {
        upstream.enqueue('/v1/chat/completions', textAnswer(['Still', ' here']));
        const rowsBefore = keptRows();
        body = null;
        const stream = await client.responses.create({ model: 'codex-model', input: marker, stream: true });
        let text = '';
        for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
        expect(text).toBe('Still here');
        expect(body).not.toBeNull();
        // Another task: a WeakRef target read in this one is kept until it ends.
        await new Promise((resolve) => setImmediate(resolve));
        collect();
        const alive = (body as WeakRef<object> | null)?.deref() !== undefined;
        if (keptRows() === rowsBefore) checked.push(alive);
        // The row is written all the same.
        await expect.poll(keptRows, { timeout: 5_000 }).toBe(rowsBefore + 1);
      }
    } finally {
      JSON.parse = parse;
      file.close();
    }
    expect(checked).toEqual([false]);
  });
});
