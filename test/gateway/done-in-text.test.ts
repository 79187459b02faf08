/**
 * An answer whose text quotes the end of an OpenAI stream ("data: [DONE]", say a model explaining
 * server-sent events) is an answer like any other: the same-dialect fast path ends a stream only
 * on the upstream's own [DONE] line. Before, those words in a delta concluded the exchange there:
 * the history row kept the answer cut at them and no token usage (the usage chunk came after),
 * so a client could keep an answer off its token budget by having the model say them early.
 */
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('an answer that quotes "data: [DONE]"', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let client: OpenAI;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      settings: { recordBodies: true },
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream-key-1'] }],
      aliases: [{ alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] }],
    });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('streams the whole answer and records it whole, with its usage, in one upstream read and token by token', async () => {
    const parts = ['An OpenAI stream ends with the line ', 'data: [DONE]', ' and a blank line; ', 'data: [DONE]\n\n', 'after it nothing more comes.'];
    for (const delayMs of [0, 5]) {
      upstream.route = () => textAnswer(parts, { delayMs, usage: { prompt: 12, completion: 34 } });
      const stream = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: `How does an SSE stream end? (${delayMs})` }], stream: true });
      let text = '';
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(text).toBe(parts.join(''));
      expect(finish).toBe('stop');
      const row = await until(async () => (await harness.gateway.control.queryHistory({})).rows.find((r) => r.status === 200 && !seen.has(r.id)));
      seen.add(row.id);
      expect(row).toMatchObject({ status: 200, inputTokens: 12, outputTokens: 34 });
      const detail = await harness.gateway.control.getHistoryEntry({ id: row.id });
      expect(detail?.bodies?.response ?? '').toContain('after it nothing more comes.');
    }
  });
});

const seen = new Set<string>();

async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no history row with usage in 5 s');
}
