/**
 * Two real Switchboard instances sharing one Redis-compatible server, called through the official
 * OpenAI SDK: a budget spent on A is refused on B, one per-minute limit holds across both, and
 * when the shared server goes away each instance applies limits on its own (logged, metric 0)
 * until it returns, when the spend settled meanwhile joins the shared counters.
 */
import OpenAI from 'openai';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { readAdminToken } from '../../src-proxy/control/admin-token.ts';
import type { ClientLimits } from '../../src-proxy/domain/governance.ts';
import { errorAnswer, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { startRedisServer, type RedisServer } from '../fixtures/redis-server.ts';

const messages = [{ role: 'user' as const, content: 'Hi' }];
/** This file's own logical database on the run's server, emptied before each test. */
const DB = 1;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    return error as InstanceType<typeof OpenAI.APIError>;
  }
  throw new Error('the call succeeded');
}

describe('two instances sharing one Redis-compatible server', () => {
  let upstream: FakeOpenAi;
  const instances: Harness[] = [];
  let ownServer: RedisServer | null = null;
  const chatCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions').length;
  const instancesOf = () => instances;

  beforeEach(async () => {
    const redis = new Redis(`${inject('redisUrl')}/${DB}`);
    await redis.flushdb();
    redis.disconnect();
    upstream = await startFakeOpenAi();
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.close();
    await upstream?.close();
    await ownServer?.close();
    ownServer = null;
  });

  /** Two instances configured alike (one config: the same client token, limits and prices). */
  async function team(shared: string, limits: ClientLimits): Promise<{ a: OpenAI; b: OpenAI; token: string; instances: Harness[] }> {
    const token = `sb-team-${randomBytes(12).toString('hex')}`;
    for (let i = 0; i < 2; i++) {
      const harness = await startGateway({
        shared,
        providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] }],
        aliases: [
          { alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] },
          { alias: 'cached', targets: [{ provider: 'fake', model: 'fake-large' }], cache: { ttlSeconds: 3600 } },
        ],
        settings: { metrics: { enabled: true } },
      });
      instances.push(harness);
      await harness.gateway.control.importConfig({ config: { clients: [{ name: 'member', token, limits }] } });
      // $1 per token: one answer of the fake (11 + 7 tokens) costs $18.
      await harness.gateway.control.setPrice({ model: 'fake-large', inputPerMillion: 1_000_000, outputPerMillion: 1_000_000 });
    }
    const client = (harness: Harness) => new OpenAI({ baseURL: harness.baseUrl, apiKey: token, maxRetries: 0 });
    return { a: client(instances[0]!), b: client(instances[1]!), token, instances };
  }

  async function spentToday(harness: Harness): Promise<{ requests: number; costUsd: number }> {
    const overview = await harness.gateway.control.listClients();
    return overview.clients.find((entry) => entry.name === 'member')!.usage.today;
  }

  it('refuses on B a budget the client spent on A', async () => {
    const { a, b, instances: [first, second] } = await team(`${inject('redisUrl')}/${DB}`, { dailyBudgetUsd: 10 });
    expect((await a.chat.completions.create({ model: 'coder', messages })).choices[0]?.message.content).toBe('Hello from fake');
    await until(async () => (await spentToday(second!)).costUsd >= 18, 'the spend on A to reach the shared counters');
    const refused = await rejection(b.chat.completions.create({ model: 'coder', messages }));
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('budget_exceeded');
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(await spentToday(first!)).toMatchObject({ requests: 1, costUsd: 18 });
  });

  it('holds one per-minute limit across both instances', async () => {
    const { a, b } = await team(`${inject('redisUrl')}/${DB}`, { rpm: 3 });
    await a.chat.completions.create({ model: 'coder', messages });
    await b.chat.completions.create({ model: 'coder', messages });
    await a.chat.completions.create({ model: 'coder', messages });
    for (const client of [b, a]) {
      const refused = await rejection(client.chat.completions.create({ model: 'coder', messages }));
      expect(refused.status).toBe(429);
      expect(refused.code).toBe('rate_limited');
      expect(refused.message).toContain('3 requests per minute');
    }
    expect(upstream.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(3);
  });

  it('degrades to limits per instance while the shared server is away, says so, and shares again when it returns', async () => {
    ownServer = await startRedisServer({ persistent: true });
    const { a, b, instances: [first, second] } = await team(ownServer.url, { rpm: 1 });
    const scrape = async (harness: Harness) => {
      const response = await fetch(`${harness.origin}/metrics`, { headers: { authorization: `Bearer ${readAdminToken(harness.gateway.store)}` } });
      return response.text();
    };
    expect(await scrape(first!)).toMatch(/^switchboard_shared_state_up 1$/m);
    await a.chat.completions.create({ model: 'coder', messages });
    expect((await rejection(b.chat.completions.create({ model: 'coder', messages }))).code).toBe('rate_limited');

    await ownServer.stop();
    await until(async () => /^switchboard_shared_state_up 0$/m.test(await scrape(second!)), 'B to notice the shared server is gone');
    expect(await scrape(second!)).toMatch(/^switchboard_shared_state_outages 1$/m);
    // Still in the load balancer's rotation: it serves, with limits of its own.
    const degraded = await fetch(`${second!.origin}/ready`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({ status: 'degraded', checks: { gateway: 'ok', store: 'ok', shared: 'unreachable' } });
    expect(await scrape(second!)).toMatch(/^switchboard_shared_state_up 0$/m);
    // Degraded: B counts on its own, so its first request of the minute passes, its second does not.
    await b.chat.completions.create({ model: 'coder', messages });
    expect((await rejection(b.chat.completions.create({ model: 'coder', messages }))).code).toBe('rate_limited');

    await ownServer.restart();
    await until(async () => /^switchboard_shared_state_up 1$/m.test(await scrape(second!)), 'B to reconnect');
    expect(await (await fetch(`${second!.origin}/ready`)).json()).toMatchObject({ status: 'ready', checks: { shared: 'ok' } });
    // It came back with its data (append-only file): A's request is there, B's degraded one is added.
    await until(async () => (await spentToday(first!)).requests === 2 && (await spentToday(second!)).requests === 2, 'the spend settled while degraded to join the shared counters');
    expect((await rejection(a.chat.completions.create({ model: 'coder', messages }))).code).toBe('rate_limited');
    const direct = new Redis(ownServer.url);
    try {
      await until(async () => {
        const keys = await direct.keys('switchboard:limits:*:spend:life');
        return keys.length === 1 && Number(await direct.hget(keys[0]!, 'requests')) === 2;
      }, 'the spend of both instances to join the shared counters');
    } finally {
      direct.disconnect();
    }
  });
  it('rests on B a key the provider rate-limited on A, so B does not call the provider with it', async () => {
    const { a, b, instances: [, second] } = await team(`${inject('redisUrl')}/${DB}`, {});
    upstream.enqueue('/v1/chat/completions', errorAnswer(429, 'slow down', { 'retry-after': '30' }));
    expect((await rejection(a.chat.completions.create({ model: 'coder', messages }))).status).toBe(429);
    const keyId = second!.gateway.store.keys.secretsFor('fake')[0]!.id;
    await until(() => (second!.gateway.store.keys.get(keyId)?.cooldownUntil ?? 0) > Date.now(), "B to rest the key A's provider limited");
    const refused = await rejection(b.chat.completions.create({ model: 'coder', messages }));
    expect(refused.code).toBe('key_pool_exhausted');
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThan(20);
    expect(chatCalls()).toBe(1);
  });

  it('answers on B from the answer A kept: one response cache', async () => {
    const { a, b } = await team(`${inject('redisUrl')}/${DB}`, {});
    const question = { model: 'cached', messages: [{ role: 'user' as const, content: 'What is shared?' }] };
    const first = await a.chat.completions.create(question).withResponse();
    expect(first.response.headers.get('x-switchboard-cache')).toBe('miss');
    const direct = new Redis(`${inject('redisUrl')}/${DB}`);
    try {
      await until(async () => (await direct.keys('switchboard:{cache}:entry:*')).length === 1, 'the answer to reach the shared cache');
    } finally {
      direct.disconnect();
    }
    const second = await b.chat.completions.create(question).withResponse();
    expect(second.response.headers.get('x-switchboard-cache')).toBe('hit');
    expect(second.data.choices[0]?.message.content).toBe(first.data.choices[0]?.message.content);
    expect(chatCalls()).toBe(1);
    expect((await instancesOf()[1]!.gateway.control.getCacheStats()).entries).toBe(1);
  });
  it('opens on B the circuit of a provider A found unreachable, and B skips it at once', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const shared = `${inject('redisUrl')}/${DB}`;
    const pair: Harness[] = [];
    for (let i = 0; i < 2; i++) {
      const harness = await startGateway({
        shared,
        providers: [
          { id: 'down', kind: 'openai', baseUrl: `http://127.0.0.1:${closedPort}/v1`, keys: ['sk-down'] },
          { id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] },
        ],
        aliases: [{ alias: 'chain', targets: [{ provider: 'down', model: 'm' }, { provider: 'fake', model: 'fake-large' }] }],
        settings: { circuitBreaker: { failures: 1, openSeconds: 600 } },
      });
      instances.push(harness);
      pair.push(harness);
    }
    const [first, second] = pair as [Harness, Harness];
    const circuitsOf = (harness: Harness) => harness.gateway.status().routing?.circuits ?? [];
    const a = new OpenAI({ baseURL: first.baseUrl, apiKey: first.token, maxRetries: 0 });
    expect((await a.chat.completions.create({ model: 'chain', messages })).choices[0]?.message.content).toBe('Hello from fake');
    expect(circuitsOf(first).map((circuit) => circuit.provider)).toEqual(['down']);
    await until(() => circuitsOf(second).length === 1, 'B to open the circuit A opened');
    expect(circuitsOf(second)[0]!).toMatchObject({ provider: 'down', state: 'open', reason: expect.stringContaining('another instance') });
    const b = new OpenAI({ baseURL: second.baseUrl, apiKey: second.token, maxRetries: 0 });
    const answer = await b.chat.completions.create({ model: 'chain', messages }).withResponse();
    expect(answer.data.choices[0]?.message.content).toBe('Hello from fake');
    second.gateway.flushHistory();
    const rows = (await second.gateway.control.queryHistory({ limit: 5 })).rows;
    const request = rows.find((row) => row.attempts.length > 0)!;
    // Skipped without a connection attempt: the circuit, not a connect failure, is the reason.
    expect(request.attempts.map((attempt) => [attempt.provider, attempt.errorCode ?? null])).toEqual([
      ['down', 'circuit_open'],
      ['fake', null],
    ]);
  });
});
