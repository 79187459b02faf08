import { describe, expect, it } from 'vitest';
import { historyRecord, tempStore } from '../store/helpers.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('history repository', () => {
  it('stores a request and returns it with its bodies; rows without bodies have bodies null', () => {
    const { store } = tempStore();
    const withBodies = historyRecord({
      id: 'with-bodies',
      bodies: { clientRequest: '{"messages":[]}', upstreamRequest: null, response: '{"ok":true}' },
      requestHeaders: { 'user-agent': 'test' },
      cacheReadTokens: 7,
    });
    store.history.insertBatch([withBodies, historyRecord({ id: 'plain' })]);
    expect(store.history.get('with-bodies')).toMatchObject({
      id: 'with-bodies',
      bodies: { clientRequest: '{"messages":[]}', upstreamRequest: null, response: '{"ok":true}' },
      requestHeaders: { 'user-agent': 'test' },
      cacheReadTokens: 7,
      attempts: withBodies.attempts,
      stream: true,
    });
    expect(store.history.get('plain')?.bodies).toBeNull();
    expect(store.history.get('missing')).toBeNull();
  });

  it('pages newest first with a cursor that neither skips nor repeats rows sharing a timestamp', () => {
    const { store } = tempStore();
    const records = Array.from({ length: 25 }, (_, i) => historyRecord({ id: `r${String(i).padStart(2, '0')}`, startedAt: T0 + Math.floor(i / 3) * 1000 }));
    store.history.insertBatch(records);
    const seen: string[] = [];
    let before: { startedAt: number; id: string } | undefined;
    for (;;) {
      const page = store.history.query({ limit: 10, ...(before ? { before } : {}) });
      expect(page.total).toBe(25);
      seen.push(...page.rows.map((row) => row.id));
      if (!page.next) break;
      before = page.next;
    }
    const expected = [...records].sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id)).map((r) => r.id);
    expect(seen).toEqual(expected);
    expect(store.history.latest(3).map((row) => row.id)).toEqual(expected.slice(0, 3));
  });

  it('filters by status, model, provider, client, dialect and time range', () => {
    const { store } = tempStore();
    store.history.insertBatch([
      historyRecord({ id: 'ok', startedAt: T0 }),
      historyRecord({ id: 'rate-limited', status: 429, errorCode: 'upstream_rate_limited', startedAt: T0 + 1 }),
      historyRecord({ id: 'ollama', dialect: 'ollama', client: 'ollama', provider: 'local', upstreamModel: 'llama3', requestedModel: 'llama3', startedAt: T0 + 2 }),
      historyRecord({ id: 'old', startedAt: T0 - DAY }),
    ]);
    const ids = (query: Parameters<typeof store.history.query>[0]): string[] => store.history.query(query).rows.map((r) => r.id).sort();
    expect(ids({ status: 'error' })).toEqual(['rate-limited']);
    expect(ids({ status: 429 })).toEqual(['rate-limited']);
    expect(ids({ status: 'ok' })).toEqual(['ok', 'old', 'ollama']);
    expect(ids({ model: 'llama3' })).toEqual(['ollama']);
    expect(ids({ model: 'openai/gpt-4o', from: T0 })).toEqual(['ok', 'rate-limited']);
    expect(ids({ provider: 'local' })).toEqual(['ollama']);
    expect(ids({ client: 'ollama', dialect: 'ollama' })).toEqual(['ollama']);
    expect(ids({ from: T0 - 1, to: T0 + 1 })).toEqual(['ok', 'rate-limited']);
    expect(store.history.query({ status: 'error' }).total).toBe(1);
  });

  it('finds requests by text in their bodies, model, client or error message, case-insensitively', () => {
    const { store } = tempStore();
    store.history.insertBatch([
      historyRecord({ id: 'body', bodies: { clientRequest: 'please refactor the FooBarService class', upstreamRequest: null, response: null } }),
      historyRecord({ id: 'error', status: 502, errorCode: 'upstream_error', errorMessage: 'Connection reset by peer' }),
      historyRecord({ id: 'client', client: 'zed-editor' }),
      historyRecord({ id: 'percent', bodies: { clientRequest: null, upstreamRequest: null, response: 'done: 100% of it' } }),
    ]);
    const search = (text: string): string[] => store.history.query({ search: text }).rows.map((r) => r.id).sort();
    expect(search('foobarservice')).toEqual(['body']);
    expect(search('refactor class')).toEqual(['body']);
    expect(search('reset by')).toEqual(['error']);
    expect(search('zed-editor')).toEqual(['client']);
    expect(search('0%')).toEqual(['percent']);
    expect(search('"quoted" nothing')).toEqual([]);
    expect(store.history.query({ search: 'FooBar', client: 'nobody' }).total).toBe(0);
  });

  it('prunes rows older than the cutoff (in batches), keeping newer rows and their search entries', () => {
    const { store } = tempStore();
    const old = Array.from({ length: 5003 }, (_, i) => historyRecord({ id: `old-${i}`, startedAt: T0 - 40 * DAY + i, bodies: { clientRequest: 'ancient text', upstreamRequest: null, response: null } }));
    store.history.insertBatch(old);
    store.history.insertBatch([historyRecord({ id: 'new', startedAt: T0, bodies: { clientRequest: 'fresh text', upstreamRequest: null, response: null } })]);
    expect(store.history.prune(T0 - 30 * DAY)).toBe(5003);
    expect(store.history.query({}).total).toBe(1);
    expect(store.history.query({ search: 'ancient' }).total).toBe(0);
    expect(store.history.query({ search: 'fresh' }).total).toBe(1);
    expect(store.history.prune(T0 - 30 * DAY)).toBe(0);
  });

  it('counts requests and errors since a moment', () => {
    const { store } = tempStore();
    store.history.insertBatch([historyRecord({ startedAt: T0 }), historyRecord({ startedAt: T0, status: 500, errorCode: 'upstream_error' }), historyRecord({ startedAt: T0 - DAY })]);
    expect(store.history.countSince(T0)).toEqual({ requests: 2, errors: 1 });
  });

  it('counts a count_tokens call as a request but not as token usage', () => {
    const { store } = tempStore();
    store.history.insertBatch([
      historyRecord({ startedAt: T0, provider: 'anthropic', upstreamModel: 'claude-x', endpoint: '/v1/messages/count_tokens', inputTokens: 5000, outputTokens: 0, estimated: true }),
      historyRecord({ startedAt: T0, provider: 'anthropic', upstreamModel: 'claude-x', endpoint: '/v1/messages', inputTokens: 40, outputTokens: 9 }),
    ]);
    expect(store.history.usage({ from: T0, to: T0, groupBy: 'upstream' }, []).buckets).toMatchObject([{ key: 'anthropic/claude-x', requests: 2, inputTokens: 40, outputTokens: 9 }]);
  });

  it('rolls usage up per UTC day and prices it by the upstream model; the roll-up survives pruning and clearing', () => {
    const { store } = tempStore();
    const day2 = T0 + DAY;
    store.history.insertBatch([
      historyRecord({ startedAt: T0, upstreamModel: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 100_000 }),
      historyRecord({ startedAt: T0 + 1000, upstreamModel: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 100_000, status: 500, errorCode: 'upstream_error' }),
      historyRecord({ startedAt: day2, provider: 'local', upstreamModel: 'llama3', client: 'cli', inputTokens: 10, outputTokens: 20 }),
      historyRecord({ startedAt: day2, provider: null, upstreamModel: null, requestedModel: 'nope', client: 'cli', inputTokens: null, outputTokens: null, status: 404, errorCode: 'model_not_found' }),
    ]);
    const prices = [{ model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 }];
    const report = store.history.usage({ from: T0, to: day2, groupBy: 'upstream' }, prices);
    expect(report.bucket).toBe('day');
    expect(report.buckets).toEqual([
      { period: '2025-06-01', key: 'openrouter/gpt-4o', requests: 2, errors: 1, inputTokens: 2_000_000, outputTokens: 200_000, costUsd: 7 },
      // Not routed: no provider/model to file it under, and never the requested name in its place.
      { period: '2025-06-02', key: '', requests: 1, errors: 1, inputTokens: 0, outputTokens: 0, costUsd: null },
      { period: '2025-06-02', key: 'local/llama3', requests: 1, errors: 0, inputTokens: 10, outputTokens: 20, costUsd: null },
    ]);
    expect(report.totals).toEqual({ requests: 4, errors: 2, inputTokens: 2_000_010, outputTokens: 200_020, costUsd: 7 });

    const byProvider = store.history.usage({ from: T0, to: day2, groupBy: 'provider' }, prices);
    expect(byProvider.buckets.map((b) => [b.period, b.key, b.requests])).toEqual([
      ['2025-06-01', 'openrouter', 2],
      ['2025-06-02', '', 1],
      ['2025-06-02', 'local', 1],
    ]);
    expect(store.history.usage({ from: day2, to: day2, groupBy: 'client' }, prices).buckets).toMatchObject([{ key: 'cli', requests: 2 }]);

    store.history.clear();
    expect(store.history.query({}).total).toBe(0);
    expect(store.history.usage({ from: T0, to: day2, groupBy: 'upstream' }, prices).totals.requests).toBe(4);
  });

  it('groups by the name the client asked for, apart from what answered it', () => {
    const { store } = tempStore();
    store.history.insertBatch([
      historyRecord({ startedAt: T0, requestedModel: 'coder', provider: 'openrouter', upstreamModel: 'qwen/qwen3-coder' }),
      historyRecord({ startedAt: T0, requestedModel: 'coder', provider: 'openai', upstreamModel: 'gpt-4o' }),
      historyRecord({ startedAt: T0, requestedModel: 'gpt-4o', provider: 'openai', upstreamModel: 'gpt-4o' }),
      historyRecord({ startedAt: T0, requestedModel: null, provider: null, upstreamModel: null, status: 401, errorCode: 'invalid_client_token', client: '(unauthenticated)' }),
    ]);
    const requested = store.history.usage({ from: T0, to: T0, groupBy: 'requested' }, []).buckets.map((b) => [b.key, b.requests, b.errors]);
    expect(requested).toEqual([['', 1, 1], ['coder', 2, 0], ['gpt-4o', 1, 0]]);
    const upstream = store.history.usage({ from: T0, to: T0, groupBy: 'upstream' }, []).buckets.map((b) => [b.key, b.requests]);
    expect(upstream).toEqual([['', 1], ['openai/gpt-4o', 2], ['openrouter/qwen/qwen3-coder', 1]]);
  });

  it('answers by the hour for short ranges', () => {
    const { store } = tempStore();
    const hour = 3_600_000;
    store.history.insertBatch([
      historyRecord({ startedAt: T0 }),
      historyRecord({ startedAt: T0 + 59 * 60_000 }),
      historyRecord({ startedAt: T0 + hour, status: 502, errorCode: 'upstream_error' }),
      historyRecord({ startedAt: T0 + 5 * hour }),
    ]);
    const report = store.history.usage({ from: T0, to: T0 + 2 * hour, groupBy: 'client', bucket: 'hour' }, []);
    expect(report.bucket).toBe('hour');
    expect(report.buckets.map((b) => [b.period, b.requests, b.errors])).toEqual([['2025-06-01T12', 2, 0], ['2025-06-01T13', 1, 1]]);
    expect(store.history.usage({ from: T0, to: T0, groupBy: 'client' }, []).buckets.map((b) => [b.period, b.requests])).toEqual([['2025-06-01', 4]]);
  });
});
