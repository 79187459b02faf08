/**
 * Limits and accounting end to end, through the official SDKs: tokens per minute, parallel
 * streams against a concurrency limit, aborted streams counted when they end, model lists that
 * show a client only its models, the tokenless Ollama lane as one client, and spend that
 * survives a restart.
 */
import Anthropic from '@anthropic-ai/sdk';
import { rmSync } from 'node:fs';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { ClientInfo, ClientsOverview } from '../../src-proxy/domain/client-token.ts';
import { slowStream, startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const messages = [{ role: 'user' as const, content: 'Hi' }];

type ApiError = InstanceType<typeof OpenAI.APIError>;

/** The error a call that must fail failed with. */
async function rejection<E = ApiError>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('the call succeeded');
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('client limits and accounting', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;

  async function setup(settings: NonNullable<Parameters<typeof startGateway>[0]>['settings'] = {}) {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] }],
      aliases: [
        { alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] },
        { alias: 'other', targets: [{ provider: 'fake', model: 'fake-small' }] },
      ],
      settings,
    });
    await harness.gateway.control.setPrice({ model: 'fake-large', inputPerMillion: 1_000_000, outputPerMillion: 1_000_000 });
  }
  afterEach(async () => {
    await harness?.close();
    await upstream?.close();
  });

  async function client(name: string): Promise<ClientInfo> {
    harness.gateway.flushHistory();
    const overview: ClientsOverview = await harness.gateway.control.listClients();
    const found = overview.clients.find((entry) => entry.name === name);
    if (!found) throw new Error(`no client ${name}`);
    return found;
  }

  it('holds parallel streams to the concurrency limit and frees the slot when one ends', async () => {
    await setup();
    const { token } = await harness.gateway.control.createClientToken({ name: 'agent', limits: { concurrency: 2 } });
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: token, maxRetries: 0 });
    upstream.enqueue('/v1/chat/completions', slowStream(10, 20));
    upstream.enqueue('/v1/chat/completions', slowStream(10, 20));
    const first = await openai.chat.completions.create({ model: 'coder', messages, stream: true });
    const second = await openai.chat.completions.create({ model: 'coder', messages, stream: true });
    const refused = await rejection(openai.chat.completions.create({ model: 'coder', messages, stream: true }));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.code).toBe('rate_limited');
    expect(refused.headers?.get('retry-after')).toBe('1');
    expect((await client('agent')).usage.active).toBe(2);
    for await (const _ of first) void _;
    for await (const _ of second) void _;
    await until(async () => (await client('agent')).usage.active === 0, 'both streams to settle');
    const third = await openai.chat.completions.create({ model: 'coder', messages });
    expect(third.choices[0]?.message.content).toBe('Hello from fake');
  });

  it('estimates tokens per minute from the request size, then counts what the answer used', async () => {
    await setup();
    const { token } = await harness.gateway.control.createClientToken({ name: 'tpm', limits: { tpm: 100 } });
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: token, maxRetries: 0 });
    // 60 + 30 = 90 tokens used: a 100-token minute has room for no second request of ~20 tokens.
    upstream.enqueue('/v1/chat/completions', textAnswer(['ok'], { usage: { prompt: 60, completion: 30 } }));
    await openai.chat.completions.create({ model: 'coder', messages });
    const refused = await rejection(openai.chat.completions.create({ model: 'coder', messages }));
    expect(refused.status).toBe(429);
    expect(refused.message).toContain('100 tokens per minute');
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThan(55);
  });

  it('counts an aborted stream when it ends: its slot frees and the request and its estimate are kept', async () => {
    await setup();
    const { token } = await harness.gateway.control.createClientToken({ name: 'aborter', limits: { concurrency: 1 } });
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: token, maxRetries: 0 });
    upstream.enqueue('/v1/chat/completions', slowStream(200, 20));
    const controller = new AbortController();
    const stream = await openai.chat.completions.create({ model: 'coder', messages, stream: true }, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await iterator.next().catch(() => undefined);
    await until(async () => (await client('aborter')).usage.active === 0, 'the aborted stream to settle');
    const usage = (await client('aborter')).usage;
    expect(usage.today.requests).toBe(1);
    expect(usage.today.inputTokens).toBeGreaterThan(0);
    expect(usage.today.costUsd).toBeGreaterThan(0);
  });

  it('shows each client only the models it may use, in the OpenAI, Anthropic and Ollama lists', async () => {
    await setup();
    const { token } = await harness.gateway.control.createClientToken({ name: 'narrow', models: ['coder'] });
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: token, maxRetries: 0 });
    const ids = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual(['coder']);
    const anthropic = new Anthropic({ baseURL: harness.origin, apiKey: token, maxRetries: 0 });
    const anthropicIds = [];
    for await (const model of anthropic.models.list()) anthropicIds.push(model.id);
    expect(anthropicIds).toEqual(['coder']);
    const ollama = new Ollama({ host: harness.origin, headers: { Authorization: `Bearer ${token}` } });
    expect((await ollama.list()).models.map((model) => model.name)).toEqual(['coder:latest']);
    // Without a token the Ollama lane sees everything exposed.
    expect((await new Ollama({ host: harness.origin }).list()).models.map((model) => model.name)).toContain('other:latest');
    // A retrieve of a model outside the list is refused, naming what is allowed.
    const retrieve = await rejection(openai.models.retrieve('other'));
    expect(retrieve.status).toBe(403);
    expect(retrieve.code).toBe('model_not_allowed');
  });

  it('limits the tokenless Ollama lane as one client (settings.ollamaLane)', async () => {
    await setup({ ollamaLane: { limits: { rpm: 2 } } });
    const ollama = new Ollama({ host: harness.origin });
    const other = new Ollama({ host: harness.origin, headers: { 'user-agent': 'another-tool/1.0' } });
    await ollama.chat({ model: 'coder', messages });
    await other.chat({ model: 'coder', messages });
    const refused = await rejection<{ status_code: number; error: string }>(ollama.chat({ model: 'coder', messages }));
    expect(refused.status_code).toBe(429);
    expect(refused.error).toContain('Ollama lane');
    const lane = (await harness.gateway.control.listClients()).lane;
    expect(lane).toMatchObject({ limits: { rpm: 2 }, usage: { today: { requests: 2 } } });
  });

  it('keeps spend and the lifetime count across a restart; a spent budget stays spent', async () => {
    await setup();
    const { token, id } = await harness.gateway.control.createClientToken({ name: 'spender', limits: { dailyBudgetUsd: 20, maxRequests: 3 } });
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: token, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'coder', messages });
    await openai.chat.completions.create({ model: 'coder', messages });
    const before = (await client('spender')).usage;
    expect(before.today).toMatchObject({ requests: 2, inputTokens: 22, outputTokens: 14, costUsd: 36, unpricedRequests: 0 });
    const { dataDir } = harness;
    await harness.gateway.close({ drainTimeoutMs: 100 });

    const gateway = await createGateway({ dataDir, port: 0, logger: pino({ level: 'silent' }) });
    harness = {
      ...harness,
      gateway,
      close: async () => {
        await gateway.close({ drainTimeoutMs: 100 });
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
    const status = await gateway.start();
    const after = (await gateway.control.listClients()).clients.find((entry) => entry.id === id)!.usage;
    expect(after.today).toEqual(before.today);
    expect(after.lifetime.requests).toBe(2);
    const reopened = new OpenAI({ baseURL: `http://127.0.0.1:${status.port}/v1`, apiKey: token, maxRetries: 0 });
    const refused = await rejection(reopened.chat.completions.create({ model: 'coder', messages }));
    expect(refused.code).toBe('budget_exceeded');
  });

  it('prices a model without a price as "no price": its tokens count, its cost does not', async () => {
    await setup();
    const { token } = await harness.gateway.control.createClientToken({ name: 'free', limits: { dailyBudgetUsd: 0.01 } });
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: token, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'other', messages });
    await openai.chat.completions.create({ model: 'other', messages });
    expect((await client('free')).usage.today).toMatchObject({ requests: 2, inputTokens: 22, costUsd: 0, unpricedRequests: 2 });
  });
});
