/**
 * One Redis-compatible server and one PostgreSQL server for the whole run. Tests of shared state
 * between instances read the Redis address with inject('redisUrl') and use their own key prefix;
 * tests of the PostgreSQL store read inject('postgresUrl') and create their own database on it
 * (createTestDatabase in test/fixtures/postgres-server.ts). Tests that stop and restart a server
 * start their own. Fails the run when either cannot start.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './fixtures/postgres-server.ts';
import { startRedisServer } from './fixtures/redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    postgresUrl: string;
  }
}

export default async function sharedServers(project: TestProject): Promise<() => Promise<void>> {
  const started = await Promise.allSettled([startRedisServer(), startPostgresServer()]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    // Stop whichever did start before failing the run.
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [redis, postgres] = started.map((result) => (result as PromiseFulfilledResult<{ url: string; close(): Promise<void> }>).value) as [
    { url: string; close(): Promise<void> },
    { url: string; close(): Promise<void> },
  ];
  project.provide('redisUrl', redis.url);
  project.provide('postgresUrl', postgres.url);
  return async () => {
    await Promise.all([redis.close(), postgres.close()]);
  };
}
