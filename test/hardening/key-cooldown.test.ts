/**
 * Finding 1: no request of one client can take a provider's keys away from the others. A key
 * rests only for a failure about the key (401, or a 403 saying the key lacks permission), and a
 * long rest only once a cheap check of that key (its models call) confirms it. Model-access and
 * content-policy 403s, 400s and 404s never rest a key; a 429 rests the key for that model only.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { errorAnswer, startFakeOpenAi, type FakeOpenAi, type Responder } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { isKeyDenial } from '../../src-proxy/upstream/errors.ts';

const MODEL_ACCESS_403 = errorAnswer(403, 'Project `proj_abc` does not have access to model `fail-403-whatever`', {}, 'model_not_found');
const SAFETY_403 = errorAnswer(403, 'Your request was rejected as a result of our safety system.', {}, 'content_policy_violation');
const KEY_PERMISSION_403 = errorAnswer(403, 'Your API key does not have permission to use the specified resource.', {}, 'permission_error');
const INVALID_KEY_401 = errorAnswer(401, 'Incorrect API key provided: sk-***', {}, 'invalid_api_key');

describe('key rests cannot be caused by one client for the others', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  /** An OpenAI-compatible upstream whose chat answer depends on the model, and whose models call depends on the key. */
  async function setup(rules: { chat?: (model: string) => Responder | undefined; modelsFor?: (key: string) => Responder | undefined }) {
    const upstream = await startFakeOpenAi();
    upstream.route = (record) => {
      if (record.path === '/v1/chat/completions') return rules.chat?.(String(record.body?.model ?? ''));
      if (record.path === '/v1/models') return rules.modelsFor?.(String(record.headers.authorization ?? '').replace(/^Bearer /, ''));
      return undefined;
    };
    const harness = await startGateway({ providers: [{ id: 'prov', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-one', 'sk-two'] }] });
    cleanups.push(() => upstream.close(), () => harness.close());
    await settle(harness);
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    return { upstream, harness, client };
  }

  const keysOf = async (harness: Harness) => (await harness.gateway.control.listProviders())[0]!.keys;
  const modelChecks = (upstream: FakeOpenAi) => upstream.requests.filter((r) => r.path === '/v1/models');
  const tokenlessChat = (harness: Harness, model: string) =>
    fetch(`${harness.origin}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream: false }),
    });
  /** Waits until the background key checks have settled (a gateway without them has none to wait for). */
  const settle = async (harness: Harness) => {
    await (harness.gateway as { whenIdle?: () => Promise<void> }).whenIdle?.();
  };

  it('the tokenless Ollama lane naming prov/fail-403-whatever cannot rest any key; every tool keeps working', async () => {
    const { harness, client } = await setup({ chat: (model) => (model.startsWith('fail-403') ? MODEL_ACCESS_403 : undefined) });
    for (let i = 0; i < 30; i++) {
      const response = await tokenlessChat(harness, 'prov/fail-403-whatever');
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    await settle(harness);
    for (const key of await keysOf(harness)) expect(key.cooldownUntil).toBeNull();
    const answer = await client.chat.completions.create({ model: 'prov/fake-small', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
  });

  it.each([
    ['a content-policy 403', SAFETY_403],
    ['a 400', errorAnswer(400, 'Invalid API key format in field messages', {}, 'invalid_request')],
    ['a 404', errorAnswer(404, 'The model does not exist or you do not have access to it. Check your API key.', {}, 'model_not_found')],
  ])('%s never rests a key, and no key check is even made', async (_label, failure) => {
    const { harness, upstream } = await setup({ chat: (model) => (model === 'bad' ? failure : undefined) });
    const checksBefore = modelChecks(upstream).length;
    for (let i = 0; i < 5; i++) await tokenlessChat(harness, 'prov/bad');
    await settle(harness);
    for (const key of await keysOf(harness)) expect(key.cooldownUntil).toBeNull();
    expect(modelChecks(upstream).length).toBe(checksBefore);
  });

  it('a 401 whose key still passes its models check does not rest the key', async () => {
    const { harness, upstream, client } = await setup({ chat: (model) => (model === 'odd' ? INVALID_KEY_401 : undefined) });
    const checksBefore = modelChecks(upstream).length;
    for (let i = 0; i < 20; i++) await tokenlessChat(harness, 'prov/odd');
    await settle(harness);
    for (const key of await keysOf(harness)) expect(key.cooldownUntil).toBeNull();
    // The checks are bounded: at most one per key in the check interval, however many requests failed.
    expect(modelChecks(upstream).length - checksBefore).toBeLessThanOrEqual(2);
    expect((await client.chat.completions.create({ model: 'prov/fake-small', messages: [{ role: 'user', content: 'hi' }] })).choices).toHaveLength(1);
  });

  it.each([
    ['a 401', INVALID_KEY_401],
    ['a 403 saying the key lacks permission', KEY_PERMISSION_403],
  ])('%s confirmed by the key’s own models check rests that key only, and requests move to the other key', async (_label, failure) => {
    const { harness, upstream, client } = await setup({
      chat: () => undefined,
      modelsFor: (key) => (key === 'sk-one' ? failure : undefined),
    });
    await settle(harness);
    upstream.enqueue('/v1/chat/completions', failure);
    const answer = await client.chat.completions.create({ model: 'prov/fake-small', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    await settle(harness);
    const [one, two] = await keysOf(harness);
    expect(one!.cooldownUntil).toBeGreaterThan(Date.now() + 5 * 60_000);
    expect(two!.cooldownUntil).toBeNull();
    const chatsBefore = upstream.requests.filter((r) => r.path === '/v1/chat/completions').length;
    await client.chat.completions.create({ model: 'prov/fake-small', messages: [{ role: 'user', content: 'hi' }] });
    await client.chat.completions.create({ model: 'prov/fake-small', messages: [{ role: 'user', content: 'hi' }] });
    const later = upstream.requests.filter((r) => r.path === '/v1/chat/completions').slice(chatsBefore);
    expect(later.map((r) => r.headers.authorization)).toEqual(['Bearer sk-two', 'Bearer sk-two']);
  });

  it('a 429 on one model rests the key for that model only', async () => {
    const { harness, upstream, client } = await setup({});
    upstream.enqueue('/v1/chat/completions', errorAnswer(429, 'slow down', { 'retry-after': '600' }));
    upstream.enqueue('/v1/chat/completions', errorAnswer(429, 'slow down', { 'retry-after': '600' }));
    await tokenlessChat(harness, 'prov/limited');
    const chatsBefore = upstream.requests.filter((r) => r.path === '/v1/chat/completions').length;
    await client.chat.completions.create({ model: 'prov/fake-small', messages: [{ role: 'user', content: 'hi' }] });
    await client.chat.completions.create({ model: 'prov/fake-small', messages: [{ role: 'user', content: 'hi' }] });
    const later = upstream.requests.filter((r) => r.path === '/v1/chat/completions').slice(chatsBefore);
    expect(later.map((r) => r.headers.authorization).sort()).toEqual(['Bearer sk-one', 'Bearer sk-two']);
    const limited = await tokenlessChat(harness, 'prov/limited');
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: string }).error).toMatch(/rest/);
  });
});

describe('isKeyDenial: which upstream refusals are about the key', () => {
  it.each([
    [401, '{"error":{"message":"Incorrect API key provided"}}', true],
    [401, 'anything at all', true],
    [403, '{"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}', true],
    [403, '{"error":{"message":"You have insufficient permissions for this operation."}}', true],
    [403, '{"error":{"message":"Project `proj_1` does not have access to model `gpt-5`","code":"model_not_found"}}', false],
    [403, '{"error":{"message":"Your request was rejected as a result of our safety system."}}', false],
    [403, '{"error":{"code":403,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}', false],
    [403, '{"error":{"message":"Request blocked by content policy; the API key is fine"}}', false],
    [400, '{"error":{"message":"Invalid API key"}}', false],
    [404, '{"error":{"message":"Invalid API key"}}', false],
    [429, '{"error":{"message":"Rate limit for this API key"}}', false],
  ])('%i %s → %s', (status, body, expected) => {
    expect(isKeyDenial(status, body)).toBe(expected);
  });
});
