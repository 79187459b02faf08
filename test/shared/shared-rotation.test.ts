/**
 * The round-robin position of a key pool shared through the shared server: requests spread over
 * two instances (as a load balancer does) still use the pool's keys strictly in turn; with the
 * shared server away each instance rotates on its own, and requests still succeed.
 */
import OpenAI from 'openai';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { startRedisServer } from '../fixtures/redis-server.ts';

/** This file's own logical database on the run's server, emptied before each test. */
const DB = 5;
const messages = [{ role: 'user' as const, content: 'Hi' }];

describe('the key rotation shared between instances', () => {
  let upstream: FakeOpenAi;
  const instances: Harness[] = [];

  beforeEach(async () => {
    const redis = new Redis(`${inject('redisUrl')}/${DB}`);
    await redis.flushdb();
    redis.disconnect();
    upstream = await startFakeOpenAi();
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.close();
    await upstream?.close();
  });

  async function twoInstances(shared: string): Promise<OpenAI[]> {
    for (let i = 0; i < 2; i++) {
      instances.push(
        await startGateway({
          shared,
          providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-first', 'sk-second', 'sk-third'] }],
          aliases: [{ alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] }],
        }),
      );
    }
    return instances.map((harness) => new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 }));
  }

  const keysUsed = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => request.headers.authorization);

  it('uses the keys in turn across both instances (A, B, A, B … as a load balancer sends them)', async () => {
    const [a, b] = await twoInstances(`${inject('redisUrl')}/${DB}`);
    for (let i = 0; i < 6; i++) await (i % 2 === 0 ? a! : b!).chat.completions.create({ model: 'coder', messages });
    // Each instance alone would start its own rotation: first, first, second, second, third, third.
    expect(keysUsed()).toEqual(['Bearer sk-first', 'Bearer sk-second', 'Bearer sk-third', 'Bearer sk-first', 'Bearer sk-second', 'Bearer sk-third']);
    const direct = new Redis(`${inject('redisUrl')}/${DB}`);
    expect(await direct.get('switchboard:rotation:fake')).toBe('6');
    expect(await direct.ttl('switchboard:rotation:fake')).toBeGreaterThan(0);
    direct.disconnect();
  });

  it('rotates on each instance alone while the shared server is away, and the requests still succeed', async () => {
    const server = await startRedisServer();
    try {
      const [a, b] = await twoInstances(server.url);
      await server.stop();
      for (let i = 0; i < 4; i++) {
        const answer = await (i % 2 === 0 ? a! : b!).chat.completions.create({ model: 'coder', messages });
        expect(answer.choices[0]?.message.content).toBe('Hello from fake');
      }
      // Local cursors: each instance walks the pool from its own start.
      expect(keysUsed()).toEqual(['Bearer sk-first', 'Bearer sk-first', 'Bearer sk-second', 'Bearer sk-second']);
    } finally {
      await server.close();
    }
  });
});
