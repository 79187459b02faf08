/**
 * `npm run team:local`'s topology, started through the same code (scripts/team-local/start-team.mjs)
 * on free ports and temp folders: PostgreSQL, Redis, two team instances and the round-robin load
 * balancer. The official openai SDK talks to a fake upstream through the balancer, both instances
 * answer the admin token, and closing leaves no process behind.
 */
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { startTeam, type LocalTeamInfo } from '../../scripts/team-local/start-team.mjs';
import { instances as topologyInstances } from '../../deploy/topology.mjs';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { createTestDatabase, startPostgresServer } from '../fixtures/postgres-server.ts';
import { startRedisServer } from '../fixtures/redis-server.ts';

const alive = (port: number) =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    () => true,
    () => false,
  );

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('team:local (two instances behind the load balancer)', () => {
  let fake: FakeOpenAi | null = null;
  let team: ReturnType<typeof startTeam> | null = null;
  afterAll(async () => {
    await team?.close();
    await fake?.close();
  });

  it('serves the openai SDK through the balancer and stops every process on close', async () => {
    fake = await startFakeOpenAi({ models: ['gpt-4o-mini'] });
    team = startTeam({ servers: { startPostgresServer, startRedisServer, createTestDatabase }, lbPort: 0 });
    const info: LocalTeamInfo = await team.started;
    expect(info.instances.map((instance) => instance.name)).toEqual(topologyInstances.map((instance) => instance.service));
    expect(info.adminToken).toMatch(/\S{16,}/);
    expect(info.clientToken).toMatch(/^sb-/);

    const control = async (base: string, op: string, body: unknown = {}) => {
      const response = await fetch(`${base}/_switchboard/api/${op}`, { method: 'POST', headers: { 'x-switchboard-admin': info.adminToken!, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, `${op}: ${await response.clone().text()}`).toBe(200);
      return ((await response.json()) as { result: unknown }).result;
    };
    await control(info.url, 'createProvider', { id: 'fake', kind: 'openai', baseUrl: fake.baseUrl });
    await control(info.url, 'addKey', { providerId: 'fake', secret: 'sk-fake-team-local' });
    // The change reaches the other instance through the shared server: wait until both see the key.
    for (const { port } of info.instances) {
      await until(`instance :${port} sees the key`, async () => {
        const providers = (await control(`http://127.0.0.1:${port}`, 'listProviders')) as Array<{ id: string; keys: unknown[] }>;
        return providers.some((provider) => provider.id === 'fake' && provider.keys.length === 1);
      });
    }

    const client = new OpenAI({ baseURL: `${info.url}/v1`, apiKey: info.clientToken!, maxRetries: 0, timeout: 15_000 });
    const answer = await client.chat.completions.create({ model: 'fake/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]?.message.content).toBe('Hello from fake');
    expect(fake.requests.some((request) => request.path === '/v1/chat/completions')).toBe(true);
    // Without a client token a team server refuses, through the balancer too.
    await expect(new OpenAI({ baseURL: `${info.url}/v1`, apiKey: 'not-a-token', maxRetries: 0 }).models.list()).rejects.toMatchObject({ status: 401 });

    await team.close();
    for (const { port } of info.instances) expect(await alive(port)).toBe(false);
    await expect(fetch(`${info.url}/health`)).rejects.toThrow();
  }, 180_000);
});
