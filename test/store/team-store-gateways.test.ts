/**
 * Two real Switchboard instances on one PostgreSQL database (the team store), called through the
 * official OpenAI SDK against a fake upstream: what one configures through its control API serves
 * on the other (LISTEN/NOTIFY), history written by one is searchable on the other, and spend
 * settled on one is read on the other. Plus the start-up refusals: a wrong team key, an
 * unreachable server (its password never shown), and `serve --store` without a key.
 */
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { runServeCommand } from '../../src-proxy/cli/serve-command.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';

const messages = [{ role: 'user' as const, content: 'Hi' }];

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function captureIo() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
      env: {} as Record<string, string | undefined>,
    },
  };
}

describe('two instances on one PostgreSQL team store', () => {
  let upstream: FakeOpenAi;
  let url: string;
  const secretKey = randomBytes(32);
  const instances: Harness[] = [];

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    url = await createTestDatabase(inject('postgresUrl'));
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.close();
    await upstream?.close();
  });

  it('serves on B what A configured, finds A\'s history on B and counts A\'s spend on B', async () => {
    const a = await startGateway({ store: url, secretKey, tokenName: 'member' });
    instances.push(a);
    const b = await startGateway({ store: url, secretKey, tokenName: 'other-member' });
    instances.push(b);
    expect(a.gateway.store.kind).toBe('postgres');

    // Configured through A's control API only, after B started: B learns it from the notification.
    const configuredAt = Date.now();
    await a.gateway.control.createProvider({ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl });
    await a.gateway.control.addKey({ providerId: 'fake', secret: 'sk-upstream-team' });
    await a.gateway.control.createAlias({ alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] });
    await a.gateway.control.setPrice({ model: 'fake-large', inputPerMillion: 1_000_000, outputPerMillion: 1_000_000 });

    // A's client token works on B (one store of tokens), and B routes the alias A created.
    const onB = new OpenAI({ baseURL: b.baseUrl, apiKey: a.token, maxRetries: 0 });
    const answer = await until(() => onB.chat.completions.create({ model: 'coder', messages }), 'B to serve the alias created on A');
    const seenAfterMs = Date.now() - configuredAt;
    console.log(`team store: a provider, key and alias created on A served on B ${seenAfterMs} ms after A's first change`);
    expect(answer.choices[0]?.message.content).toBe('Hello from fake');
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-upstream-team');

    // A request answered by A: its history row is searchable on B.
    const onA = new OpenAI({ baseURL: a.baseUrl, apiKey: a.token, maxRetries: 0 });
    await onA.chat.completions.create({ model: 'coder', messages, user: 'find-me-on-b' });
    a.gateway.flushHistory();
    const rows = await until(async () => {
      const page = await b.gateway.control.queryHistory({ client: undefined, limit: 10 });
      return page.rows.length >= 2 ? page.rows : null;
    }, 'A\'s history on B');
    expect(new Set(rows.map((row) => row.requestedModel))).toEqual(new Set(['coder']));
    const entry = await b.gateway.control.getHistoryEntry({ id: rows[0]!.id });
    expect(entry?.provider).toBe('fake');

    // Spend is read on B from the shared store: its own answer and A's (18 tokens at $1 a token on A;
    // B's first answer may have come before A's price reached it).
    const member = b.gateway.store.clientTokens.list().find((token) => token.name === 'member')!;
    a.gateway.flushHistory();
    await until(async () => b.gateway.store.clientSpend.read(`token:${member.id}`, ['life'])[0]!.requests >= 2 || null, 'A\'s spend on B');
    expect(b.gateway.store.clientSpend.read(`token:${member.id}`, ['life'])[0]!.costUsd).toBeGreaterThanOrEqual(18);

    // A setting changed on B reaches A's engine.
    await b.gateway.control.updateSettings({ historyRetentionDays: 9 });
    await until(async () => (await a.gateway.control.getSettings({})).historyRetentionDays === 9, 'B\'s setting on A');

    const ready = await fetch(`${b.origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { gateway: 'ok', store: 'ok', migrations: 'ok' } });
  });

  it('configures on B right after A, as a dashboard behind a load balancer does, without waiting for the notice', async () => {
    const a = await startGateway({ store: url, secretKey, tokenName: 'member' });
    instances.push(a);
    const b = await startGateway({ store: url, secretKey, tokenName: 'other-member' });
    instances.push(b);
    // Each save goes to the other instance than the one before, at once: the notice of the
    // previous save has not been heard yet (it arrives in a few ms), so B must read the newest
    // configuration itself before it changes anything.
    for (let round = 0; round < 5; round++) {
      const [first, second] = round % 2 === 0 ? [a, b] : [b, a];
      await first.gateway.control.createProvider({ id: `p${round}`, kind: 'openai', baseUrl: upstream.baseUrl });
      await second.gateway.control.addKey({ providerId: `p${round}`, secret: `sk-team-${round}` });
      await first.gateway.control.createAlias({ alias: `alias-${round}`, targets: [{ provider: `p${round}`, model: 'fake-large' }] });
    }
    // Nothing was lost either way: every key and alias reaches both instances.
    for (const instance of [a, b]) {
      await until(async () => {
        const providers = await instance.gateway.control.listProviders();
        return [0, 1, 2, 3, 4].every((round) => providers.find((provider) => provider.id === `p${round}`)?.keys.length === 1);
      }, 'every key on both instances');
    }
    const aliases = await until(async () => {
      const names = (await b.gateway.control.listAliases()).map((alias) => alias.alias).sort();
      return names.length === 5 && names;
    }, 'every alias on B');
    expect(aliases).toEqual(['alias-0', 'alias-1', 'alias-2', 'alias-3', 'alias-4']);
  });

  it('continues on B a Responses conversation begun on A, and answers on B from what A cached', async () => {
    const a = await startGateway({ store: url, secretKey, tokenName: 'member' });
    instances.push(a);
    const b = await startGateway({ store: url, secretKey, tokenName: 'other-member' });
    instances.push(b);
    await a.gateway.control.createProvider({ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl });
    await a.gateway.control.addKey({ providerId: 'fake', secret: 'sk-upstream-team' });
    await a.gateway.control.createAlias({ alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] });
    await a.gateway.control.createAlias({ alias: 'cached', targets: [{ provider: 'fake', model: 'fake-large' }], cache: { ttlSeconds: 3600 } });
    const onA = new OpenAI({ baseURL: a.baseUrl, apiKey: a.token, maxRetries: 0 });
    const onB = new OpenAI({ baseURL: b.baseUrl, apiKey: a.token, maxRetries: 0 });
    await until(() => onB.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'warm-up' }] }), 'B to know the aliases');

    // Kept Responses live in PostgreSQL: B rebuilds the conversation A kept (translated to chat).
    const first = await onA.responses.create({ model: 'coder', input: 'Remember the word teal' });
    const second = await onB.responses.create({ model: 'coder', input: 'Which word?', previous_response_id: first.id });
    expect(second.output_text).toBe('Hello from fake');
    const sent = JSON.stringify(upstream.requests.at(-1)?.body);
    expect(sent).toContain('Remember the word teal');
    expect(sent).toContain('Which word?');
    expect((await onB.responses.retrieve(first.id)).id).toBe(first.id);
    // Another client reads it as not kept, on either instance.
    const stranger = new OpenAI({ baseURL: b.baseUrl, apiKey: b.token, maxRetries: 0 });
    const refused = await stranger.responses.create({ model: 'coder', input: 'x', previous_response_id: first.id }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.NotFoundError);

    // The response cache is one table: an answer A kept is a hit on B, without an upstream call.
    const question = [{ role: 'user' as const, content: 'A question asked once' }];
    const miss = await onA.chat.completions.create({ model: 'cached', messages: question }).withResponse();
    expect(miss.response.headers.get('x-switchboard-cache')).toBe('miss');
    const hit = await until(async () => {
      const answer = await onB.chat.completions.create({ model: 'cached', messages: question }).withResponse();
      return answer.response.headers.get('x-switchboard-cache') === 'hit' ? answer : null;
    }, 'A\'s cached answer on B');
    expect(hit.data.choices[0]?.message.content).toBe('Hello from fake');
    // Until A's write landed B may have missed (and asked) too; the hit itself asked nothing.
    const callsBeforeHit = upstream.requests.length;
    await onB.chat.completions.create({ model: 'cached', messages: question });
    expect(upstream.requests.length).toBe(callsBeforeHit);
    expect((await b.gateway.control.getCacheStats({})).entries).toBeGreaterThanOrEqual(2);
  });

  it('refuses to start with a team key other than the one the store was written with', async () => {
    const a = await startGateway({ store: url, secretKey, tokenName: 'member' });
    instances.push(a);
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
    try {
      const error = await createGateway({ dataDir, port: 0, logger: pino({ level: 'silent' }), store: url, secretKey: randomBytes(32) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('secret_key_mismatch');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says the store is unreachable without showing its password', async () => {
    const dead = new URL(url);
    dead.password = 'correct-horse-battery';
    dead.port = '1';
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
    try {
      const error = await createGateway({ dataDir, port: 0, logger: pino({ level: 'silent' }), store: dead.toString(), secretKey }).catch((e: unknown) => e);
      expect((error as GatewayError).code).toBe('store_unreachable');
      expect((error as Error).message).not.toContain('correct-horse-battery');
      expect((error as Error).message).toContain('127.0.0.1:1');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('serve --store refuses to start without the team key, and refuses a store URL it does not know', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
    try {
      const missing = captureIo();
      expect(await runServeCommand(['--store', 'postgres://sb:hunter22@127.0.0.1:5432/team', '--data-dir', dataDir, '--port', '0'], missing.io)).toBe(2);
      expect(missing.out.stderr).toContain('SWITCHBOARD_SECRET_KEY');
      expect(missing.out.stderr).not.toContain('hunter22');

      const unknown = captureIo();
      unknown.io.env.SWITCHBOARD_STORE = 'mysql://sb:hunter22@127.0.0.1/team';
      expect(await runServeCommand(['--data-dir', dataDir, '--port', '0'], unknown.io)).toBe(2);
      expect(unknown.out.stderr).toContain('postgres://');
      expect(unknown.out.stderr).not.toContain('hunter22');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
