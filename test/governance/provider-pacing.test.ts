/**
 * Provider pacing end to end, through the official SDKs against a fake provider that enforces
 * its own limits (a 429 for every call over them): Switchboard keeps it from ever answering 429 —
 * calls over the concurrency wait their turn, calls that cannot start within the pacing wait fail
 * with 429 pacing_timeout and a Retry-After, in the caller's dialect, without reaching it.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderLimits } from '../../src-proxy/domain/governance.ts';
import { errorAnswer, sleep, startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const messages = [{ role: 'user' as const, content: 'Hi' }];

/** A provider that allows `rpm` calls per sliding minute and `concurrency` at once, and answers 429 past them. */
function enforceOwnLimits(upstream: FakeOpenAi, own: { rpm: number; concurrency: number }, answerMs: number) {
  const seen = { inFlight: 0, maxInFlight: 0, refused: 0, started: [] as number[] };
  // Chat calls only: model discovery is Switchboard's own business, not paced.
  upstream.route = (call) => call.path !== '/v1/chat/completions' ? undefined : async (req, res, body, record) => {
    const now = Date.now();
    const lastMinute = seen.started.filter((at) => at > now - 60_000).length;
    if (lastMinute >= own.rpm || seen.inFlight >= own.concurrency) {
      seen.refused++;
      return errorAnswer(429, 'Rate limit reached', { 'retry-after': '60' }, 'rate_limit_exceeded')(req, res, body, record);
    }
    seen.started.push(now);
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    try {
      await sleep(answerMs);
      await textAnswer()(req, res, body, record);
    } finally {
      seen.inFlight--;
    }
  };
  return seen;
}

const chatCalls = (upstream: FakeOpenAi) => upstream.requests.filter((request) => request.path === '/v1/chat/completions');

describe('provider pacing', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;

  async function setup(limits: ProviderLimits, pacingMaxWaitMs: number) {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'paced', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'], limits }],
      aliases: [{ alias: 'coder', targets: [{ provider: 'paced', model: 'fake-large' }] }],
      settings: { pacingMaxWaitMs },
    });
  }
  afterEach(async () => {
    await harness?.close();
    await upstream?.close();
  });

  it('queues calls over the provider concurrency instead of earning its 429s; every one is answered', async () => {
    await setup({ concurrency: 2 }, 10_000);
    const provider = enforceOwnLimits(upstream, { rpm: 1000, concurrency: 2 }, 150);
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const answers = await Promise.all(
      Array.from({ length: 6 }, async (_, index) => {
        if (index % 2 === 0) return (await openai.chat.completions.create({ model: 'coder', messages })).choices[0]?.message.content;
        let text = '';
        for await (const chunk of await openai.chat.completions.create({ model: 'coder', messages, stream: true })) text += chunk.choices[0]?.delta.content ?? '';
        return text;
      }),
    );
    expect(answers).toEqual(Array(6).fill('Hello from fake'));
    expect(provider.refused).toBe(0);
    expect(provider.maxInFlight).toBe(2);
    const [state] = await harness.gateway.control.providerPacing();
    expect(state).toMatchObject({ provider: 'paced', limits: { concurrency: 2 }, active: 0, waiting: 0, requestsLastMinute: 6 });
  });

  it('never lets a provider that enforces its own rpm answer 429: past the minute a call fails at once with pacing_timeout and Retry-After', async () => {
    await setup({ rpm: 3 }, 30_000);
    const provider = enforceOwnLimits(upstream, { rpm: 3, concurrency: 100 }, 0);
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => openai.chat.completions.create({ model: 'coder', messages })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    const started = Date.now();
    const refusals = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as InstanceType<typeof OpenAI.APIError>] : []));
    for (const error of refusals) {
      expect(error.status).toBe(429);
      expect(error.code).toBe('pacing_timeout');
      expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(55);
      expect(error.message).toMatch(/pacing/);
    }
    // The Anthropic front door says the same in its shape, the code beside type and message.
    const anthropicError = await anthropic.messages.create({ model: 'coder', max_tokens: 16, messages }).then(
      () => null,
      (error: unknown) => error as InstanceType<typeof Anthropic.APIError>,
    );
    expect(anthropicError?.status).toBe(429);
    expect((anthropicError?.error as { error?: { code?: string; type?: string } }).error).toMatchObject({ type: 'rate_limit_error', code: 'pacing_timeout' });
    // At once, not after the 30 s pacing wait.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(provider.refused).toBe(0);
    expect(chatCalls(upstream)).toHaveLength(3);

    harness.gateway.flushHistory();
    const history = await harness.gateway.control.queryHistory({ limit: 10 });
    const refused = history.rows.filter((row) => row.errorCode === 'pacing_timeout');
    expect(refused).toHaveLength(3);
    expect(refused[0]).toMatchObject({ status: 429, attempts: [{ provider: 'paced', errorCode: 'pacing_timeout' }] });
  });

  it('fails a call that waited the whole pacing wait with 429 pacing_timeout', async () => {
    await setup({ concurrency: 1 }, 300);
    enforceOwnLimits(upstream, { rpm: 1000, concurrency: 1 }, 1500);
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const holding = openai.chat.completions.create({ model: 'coder', messages });
    await expect.poll(async () => (await harness.gateway.control.providerPacing())[0]?.active).toBe(1);
    const started = Date.now();
    const error = await openai.chat.completions.create({ model: 'coder', messages }).then(
      () => null,
      (thrown: unknown) => thrown as InstanceType<typeof OpenAI.APIError>,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(error).toMatchObject({ status: 429, code: 'pacing_timeout' });
    expect(Number(error?.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await holding).choices[0]?.message.content).toBe('Hello from fake');
  });

  it('moves on to the next target when one provider is paced out', async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [
        { id: 'paced', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'], limits: { rpm: 1 } },
        { id: 'spare', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-spare'] },
      ],
      aliases: [{ alias: 'coder', targets: [{ provider: 'paced', model: 'fake-large' }, { provider: 'spare', model: 'fake-large' }] }],
      settings: { pacingMaxWaitMs: 1000 },
    });
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    for (let i = 0; i < 2; i++) expect((await openai.chat.completions.create({ model: 'coder', messages })).choices[0]?.message.content).toBe('Hello from fake');
    expect(chatCalls(upstream).map((request) => request.headers.authorization)).toEqual(['Bearer sk-upstream', 'Bearer sk-spare']);
  });
});
