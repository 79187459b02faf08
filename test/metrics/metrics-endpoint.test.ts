import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAdminToken } from '../../src-proxy/control/admin-token.ts';
import { errorAnswer, slowStream, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { readExposition, type Exposition } from './exposition.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /metrics', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let client: OpenAI;

  const scrape = (authorization?: string) => fetch(`${harness.origin}/metrics`, { headers: authorization ? { authorization } : {} });
  async function exposition(token: string): Promise<Exposition> {
    const response = await scrape(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return readExposition(await response.text());
  }

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream-key-1'] }],
      aliases: [
        { alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] },
        { alias: 'cached', targets: [{ provider: 'fake', model: 'fake-large' }], cache: { ttlSeconds: 60 } },
      ],
    });
    await harness.gateway.control.setPrice({ model: 'fake-large', inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('is off until turned on, then answers only the metrics token or the admin token', async () => {
    const off = await scrape();
    expect(off.status).toBe(404);
    expect(((await off.json()) as { error: { message: string } }).error.message).toMatch(/Settings → Metrics/);

    await harness.gateway.control.updateSettings({ metrics: { enabled: true } });
    const { token } = await harness.gateway.control.rotateMetricsToken();
    const settings = await harness.gateway.control.getSettings();
    expect(settings.metrics.enabled).toBe(true);
    expect(settings.metrics.token).not.toBe(token);
    expect(settings.metrics.token).toMatch(/…/);

    for (const wrong of [undefined, 'Bearer nope', `Basic ${token}`, `Bearer ${harness.token}`]) {
      const refused = await scrape(wrong);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_metrics_token');
    }
    expect((await scrape(`Bearer ${token}`)).status).toBe(200);
    expect((await scrape(`Bearer ${readAdminToken(harness.gateway.store)}`)).status).toBe(200);

    // Saving the masked token the UI was shown keeps the real one.
    await harness.gateway.control.updateSettings({ metrics: { enabled: true, token: settings.metrics.token } });
    expect((await scrape(`Bearer ${token}`)).status).toBe(200);

    // A secret like a key: exports leave it out, and importing such an export keeps it.
    const exported = await harness.gateway.control.exportConfig();
    expect(exported.settings?.metrics).toEqual({ enabled: true });
    expect(JSON.stringify(exported)).not.toContain(token);
    await harness.gateway.control.importConfig({ config: exported });
    expect((await scrape(`Bearer ${token}`)).status).toBe(200);
  });

  it('counts requests, latency, tokens, cost, upstream errors, cooldowns, streams, cache hits and refusals, parsed by a Prometheus text parser', async () => {
    await harness.gateway.control.updateSettings({ metrics: { enabled: true } });
    const { token } = await harness.gateway.control.rotateMetricsToken();

    await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] });
    const stream = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    for await (const _chunk of stream) void _chunk;
    await client.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'Same' }] });
    await client.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'Same' }] });
    upstream.enqueue('/v1/chat/completions', errorAnswer(500, 'upstream broke'));
    await expect(client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toThrow();
    upstream.enqueue('/v1/chat/completions', errorAnswer(429, 'slow down', { 'retry-after': '30' }));
    await expect(client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toThrow();
    await expect(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toThrow();
    const anonymous = await fetch(`${harness.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);

    const m = await exposition(token);
    expect(m.type('switchboard_requests_total')).toBe('COUNTER');
    const ok = { dialect: 'openai', provider: 'fake', model: 'fake-large', client: 'test-client' };
    expect(m.value('switchboard_requests_total', { ...ok, status: '200' })).toBe(4);
    expect(m.value('switchboard_requests_total', { ...ok, status: '500' })).toBe(1);
    expect(m.value('switchboard_requests_total', { ...ok, status: '429' })).toBe(1);
    expect(m.value('switchboard_requests_total', { provider: 'none', model: 'none', status: '404' })).toBe(1);

    expect(m.type('switchboard_request_duration_seconds')).toBe('HISTOGRAM');
    expect(m.type('switchboard_ttft_seconds')).toBe('HISTOGRAM');
    const series = { dialect: 'openai', provider: 'fake', model: 'fake-large' };
    expect(m.value('switchboard_request_duration_seconds_count', series)).toBe(6);
    expect(m.value('switchboard_request_duration_seconds_bucket', { ...series, le: '+Inf' })).toBe(6);
    expect(m.value('switchboard_request_duration_seconds_sum', series)).toBeGreaterThan(0);
    expect(m.value('switchboard_ttft_seconds_count', series)).toBe(4);

    // Three billed answers of 11 in / 7 out (the cache hit saved its tokens instead).
    expect(m.value('switchboard_tokens_total', { direction: 'input', provider: 'fake' })).toBe(33);
    expect(m.value('switchboard_tokens_total', { direction: 'output', provider: 'fake' })).toBe(21);
    expect(m.value('switchboard_cost_usd_total', { provider: 'fake', model: 'fake-large', client: 'test-client' })).toBeCloseTo(3 * (11 + 14), 6);
    expect(m.value('switchboard_cache_hits_total')).toBe(1);
    expect(m.value('switchboard_cache_requests_total', { result: 'miss' })).toBe(1);
    expect(m.value('switchboard_cache_saved_tokens_total', { direction: 'output' })).toBe(7);
    expect(m.value('switchboard_upstream_errors_total', { provider: 'fake', code: 'upstream_error' })).toBe(1);
    expect(m.value('switchboard_upstream_errors_total', { provider: 'fake', code: 'upstream_rate_limited' })).toBe(1);
    expect(m.value('switchboard_key_cooldowns_total', { provider: 'fake', reason: 'rate_limited' })).toBe(1);
    expect(m.value('switchboard_refusals_total', { code: 'missing_client_token' })).toBe(1);
    expect(m.value('switchboard_refusals_total', { code: 'model_not_found' })).toBe(1);
    expect(m.type('switchboard_active_streams')).toBe('GAUGE');
    expect(m.value('switchboard_active_streams')).toBe(0);
    expect(m.samples('switchboard_process_cpu_seconds_total')).toHaveLength(1);
    // No label carries a request id or a name the client merely asked for.
    const text = await (await scrape(`Bearer ${token}`)).text();
    expect(text).not.toMatch(/req_|no-such-model|chatcmpl/);
  });

  it('shows a stream while it is being answered', async () => {
    await harness.gateway.control.updateSettings({ metrics: { enabled: true } });
    const { token } = await harness.gateway.control.rotateMetricsToken();
    upstream.enqueue('/v1/chat/completions', slowStream(40, 50));
    const stream = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const reading = (async () => {
      for await (const _chunk of stream) void _chunk;
    })();
    let during = 0;
    for (let tries = 0; tries < 40 && during === 0; tries++) {
      during = (await exposition(token)).value('switchboard_active_streams');
      if (during === 0) await sleep(25);
    }
    expect(during).toBe(1);
    await reading;
    expect((await exposition(token)).value('switchboard_active_streams')).toBe(0);
  });
});
