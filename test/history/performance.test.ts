import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPerformanceReport, percentile, type PerformanceRow } from '../../src-proxy/store/performance-report.ts';
import { errorAnswer, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const row = (key: string, duration: number, extra: Partial<PerformanceRow> = {}): PerformanceRow => ({
  key, duration_ms: duration, ttft_ms: null, is_error: 0, cache: null, upstream_model: 'm', input_tokens: 0, output_tokens: 0, ...extra,
});

describe('latency report', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('folds rows per key with error rate, first-token percentiles, hit rate and savings', () => {
    const rows = [
      ...Array.from({ length: 19 }, (_, i) => row('a', 100 + i, { ttft_ms: 10 + i })),
      row('a', 5000, { is_error: 1 }),
      row('b', 1, { cache: 'hit', upstream_model: 'priced', input_tokens: 1_000_000, output_tokens: 0 }),
      row('b', 300, { cache: 'miss', upstream_model: 'priced' }),
      row('b', 2, { cache: 'hit', upstream_model: 'unpriced', input_tokens: 5 }),
    ];
    const report = buildPerformanceReport({ groupBy: 'requested' }, rows, [{ model: 'priced', inputPerMillion: 3, outputPerMillion: 15 }], false);
    const [a, b] = report.groups;
    expect(a).toMatchObject({ key: 'a', requests: 20, errors: 1, errorRate: 0.05, p50Ms: 109, p95Ms: 118, ttftP50Ms: 19, ttftP95Ms: 28, cacheLookups: 0, cacheHits: 0, savedUsd: null });
    expect(b).toMatchObject({ key: 'b', requests: 3, cacheLookups: 3, cacheHits: 2, savedUsd: 3 });
    expect(report.totals).toMatchObject({ requests: 23, errors: 1, cacheHits: 2, cacheLookups: 3, savedUsd: 3, p50Ms: 109 });
  });
});

describe('getPerformance', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream-key-1'] }],
      aliases: [{ alias: 'cached', targets: [{ provider: 'fake', model: 'fake-large' }], cache: { ttlSeconds: 60 } }],
    });
    await harness.gateway.control.setPrice({ model: 'fake-large', inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('reports latency, errors, the cache hit rate and the money hits saved, and shows each row its cost', async () => {
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    await client.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'Same' }] });
    const stream = await client.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'Same' }], stream: true });
    for await (const _chunk of stream) void _chunk;
    upstream.enqueue('/v1/chat/completions', errorAnswer(500, 'upstream broke'));
    await expect(client.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'Other' }] })).rejects.toThrow();
    harness.gateway.flushHistory();

    const now = Date.now();
    const report = await harness.gateway.control.getPerformance({ from: now - 3_600_000, to: now + 1000, groupBy: 'requested' });
    expect(report.groups).toHaveLength(1);
    const [cached] = report.groups;
    expect(cached).toMatchObject({ key: 'cached', requests: 3, errors: 1, cacheLookups: 3, cacheHits: 1 });
    expect(cached!.errorRate).toBeCloseTo(1 / 3, 6);
    expect(cached!.p50Ms).toBeGreaterThanOrEqual(0);
    expect(cached!.ttftP50Ms).not.toBeNull();
    // The hit replayed 11 tokens in and 7 out at $1 and $2 per token.
    expect(cached!.savedUsd).toBeCloseTo(11 + 14, 6);

    const page = await harness.gateway.control.queryHistory({});
    const costs = page.rows.map((entry) => [entry.cache, entry.status, entry.costUsd]);
    expect(costs).toEqual(expect.arrayContaining([['hit', 200, 0], ['miss', 200, 25]]));

    await expect(harness.gateway.control.getPerformance({ from: 0, to: now, groupBy: 'client' })).rejects.toThrow(/48 hours/);
  });
});
