/**
 * Finding 2: a kept Response belongs to the client that created it. Another client (another
 * token, or the tokenless caller when tokens are optional) gets 404 for GET, DELETE and
 * previous_response_id — on the translated path and on the Responses fast path, where a foreign
 * id must not even be forwarded upstream. Ids minted here carry at least 128 random bits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startFakeResponses, type FakeResponses } from '../fixtures/fake-responses-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('kept Responses belong to the client that created them', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setup(fastPath: boolean) {
    const chat = await startFakeOpenAi();
    const responses = await startFakeResponses();
    const harness = await startGateway({
      providers: fastPath
        ? [{ id: 'up', kind: 'openai', baseUrl: responses.baseUrl, keys: ['sk-up'], options: { supportsResponses: true } }]
        : [{ id: 'up', kind: 'openai', baseUrl: chat.baseUrl, keys: ['sk-up'] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'up', model: 'gpt-fake' }] }],
    });
    cleanups.push(() => chat.close(), () => responses.close(), () => harness.close());
    const other = (await harness.gateway.control.createClientToken({ name: 'other-client' })).token;
    return { harness, chat, responses, owner: harness.token, other };
  }

  const call = (harness: Harness, token: string | null, method: string, path: string, body?: unknown) =>
    fetch(`${harness.origin}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function create(harness: Harness, token: string | null, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await call(harness, token, 'POST', '/v1/responses', { model: 'm', input: 'remember the number 42', ...extra });
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  }

  it.each([
    ['translated (chat upstream)', false],
    ['fast path (Responses upstream)', true],
  ])('%s: another client gets 404 for GET, DELETE and previous_response_id; the owner keeps access', async (_label, fastPath) => {
    const { harness, owner, other, responses } = await setup(fastPath);
    const id = await create(harness, owner);

    const foreignGet = await call(harness, other, 'GET', `/v1/responses/${id}`);
    expect(foreignGet.status).toBe(404);
    // What the owner said, never a bare '42': the 404 echoes the random id, which may hold those two characters.
    expect(await foreignGet.text()).not.toContain('number 42');
    const upstreamCallsBefore = responses.requests.length;
    const foreignContinue = await call(harness, other, 'POST', '/v1/responses', { model: 'm', input: 'what number?', previous_response_id: id });
    expect(foreignContinue.status).toBe(404);
    expect(((await foreignContinue.json()) as { error: { code: string } }).error.code).toBe('response_not_found');
    // The foreign id was not passed on to a Responses upstream that would know it.
    expect(responses.requests.length).toBe(upstreamCallsBefore);
    expect((await call(harness, other, 'DELETE', `/v1/responses/${id}`)).status).toBe(404);

    expect((await call(harness, owner, 'GET', `/v1/responses/${id}`)).status).toBe(200);
    expect((await call(harness, owner, 'POST', '/v1/responses', { model: 'm', input: 'what number?', previous_response_id: id })).status).toBe(200);
    expect((await call(harness, owner, 'DELETE', `/v1/responses/${id}`)).status).toBe(200);
  });

  it('with client tokens optional, tokenless callers are one client: a token holder cannot read their responses, nor they a token holder’s', async () => {
    const { harness, owner } = await setup(false);
    await harness.gateway.control.updateSettings({ requireClientToken: false });
    const tokenless = await create(harness, null);
    const withToken = await create(harness, owner);
    expect((await call(harness, owner, 'GET', `/v1/responses/${tokenless}`)).status).toBe(404);
    expect((await call(harness, null, 'GET', `/v1/responses/${withToken}`)).status).toBe(404);
    expect((await call(harness, null, 'GET', `/v1/responses/${tokenless}`)).status).toBe(200);
  });

  it('ids minted here carry at least 128 random bits (no counter to count back along)', async () => {
    const { harness, owner } = await setup(false);
    const ids = [await create(harness, owner), await create(harness, owner), await create(harness, owner)];
    for (const id of ids) {
      expect(id).toMatch(/^resp_[A-Za-z0-9_-]{22,}$/);
      expect(Buffer.from(id.slice(5), 'base64url').length).toBeGreaterThanOrEqual(16);
    }
    // Consecutive ids share no long common prefix, as counter-based ids would.
    const common = (a: string, b: string) => [...a].findIndex((char, index) => char !== b[index]);
    expect(common(ids[0]!.slice(5), ids[1]!.slice(5))).toBeLessThan(6);
    expect(common(ids[1]!.slice(5), ids[2]!.slice(5))).toBeLessThan(6);
  });
});
