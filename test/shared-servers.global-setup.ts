/**
 * One Redis-compatible server for the whole run (tests of shared state between instances read
 * its address with inject('redisUrl') and use their own key prefix). Tests that stop and restart
 * the server start their own (test/fixtures/redis-server.ts). Fails the run when it cannot start.
 */
import type { TestProject } from 'vitest/node';
import { startRedisServer } from './fixtures/redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function sharedServers(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return () => redis.close();
}
