/**
 * A team on PostgreSQL and a shared Redis-compatible server: a configuration change made on A
 * reaches B once, through the store's own notification (LISTEN/NOTIFY, after the change is
 * written), not a second time through the shared server's config channel.
 */
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';
import { startRedisServer, type RedisServer } from '../fixtures/redis-server.ts';

async function until<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a configuration change with both PostgreSQL and --shared', () => {
  const instances: Harness[] = [];
  let redis: RedisServer | null = null;
  let subscriber: Redis | null = null;
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.close();
    subscriber?.disconnect();
    await redis?.close();
  });

  it('is pushed once: through the store, not again through the shared server', async () => {
    // Its own server: pub/sub channels are global, other test files publish on the shared one.
    redis = await startRedisServer();
    const store = await createTestDatabase(inject('postgresUrl'), { prefix: 'pushonce' });
    const secretKey = randomBytes(32);
    const a = await startGateway({ store, secretKey, shared: redis.url, tokenName: 'member' });
    instances.push(a);
    const b = await startGateway({ store, secretKey, shared: redis.url, tokenName: 'other-member' });
    instances.push(b);

    const heard: string[] = [];
    subscriber = new Redis(redis.url);
    subscriber.on('pmessage', (_pattern, channel, message) => heard.push(`${channel} ${message}`));
    await subscriber.psubscribe('*');

    await a.gateway.control.updateSettings({ publicHosts: ['pushed-once.example.com'] });
    await until(() => b.gateway.store.settings.get().publicHosts.includes('pushed-once.example.com'), 'B to read the setting A changed');
    // A marker after the change: once it is heard, anything A published before it was heard too.
    const marker = new Redis(redis.url);
    await marker.publish('test-marker', 'end');
    marker.disconnect();
    await until(() => heard.some((line) => line.startsWith('test-marker')), 'the marker');
    expect(heard.filter((line) => line.includes('config-changed'))).toEqual([]);
  }, 120_000);
});
