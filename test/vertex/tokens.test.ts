// Vertex access tokens: exchanged once for concurrent requests, refreshed before expiry and once
// on a 401, a refused key rests without its private key in any message, and the JSON key never
// leaves the core.
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeVertex, type FakeVertex } from '../fixtures/fake-vertex-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { parseServiceAccount } from '../../src-proxy/providers/vertex/service-account.ts';
import { vertexModelUrl } from '../../src-proxy/providers/vertex/endpoint.ts';
import { createVertexTokens, REFRESH_MARGIN_MS } from '../../src-proxy/providers/vertex/tokens.ts';
import type { UpstreamContext } from '../../src-proxy/providers/types.ts';
import { createUpstreamHttp } from '../../src-proxy/upstream/http-client.ts';
import type { ProviderRecord } from '../../src-proxy/domain/provider.ts';

describe('Vertex service-account tokens', () => {
  let fake: FakeVertex;
  let harness: Harness | undefined;
  beforeEach(async () => {
    fake = await startFakeVertex();
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await fake.close();
  });

  /** A gateway whose start-up discovery (one token exchange, the key check) has finished. */
  async function gatewayWith(key: string, options: Record<string, string> = { region: 'us-central1' }) {
    harness = await startGateway({ providers: [{ id: 'vx', kind: 'vertex', baseUrl: fake.origin, options, keys: [key] }], aliases: [{ alias: 'flash', targets: [{ provider: 'vx', model: 'gemini-2.5-flash' }] }] });
    await harness.gateway.whenIdle();
    return new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  }
  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'Hi' }] });

  it('shares one exchange between concurrent callers, keeps the token, and refreshes it within the margin of expiry', async () => {
    const http = createUpstreamHttp();
    const context: UpstreamContext = { http, signal: new AbortController().signal, timeouts: { connectMs: 10_000, firstByteMs: 10_000, idleMs: 10_000, totalMs: 0 }, clientHeaders: {} };
    let now = Date.now();
    const tokens = createVertexTokens(() => now);
    const key = fake.account().json;
    try {
      const first = await Promise.all(Array.from({ length: 6 }, () => tokens.get(key, context)));
      expect(new Set(first.map((entry) => entry.token))).toEqual(new Set(['ya29.fake-1']));
      expect([fake.exchanges.length, tokens.exchanges]).toEqual([1, 1]);
      expect(first[0]!.account.projectId).toBe('proj-from-key');
      now += 3600_000 - REFRESH_MARGIN_MS - 1000; // still outside the margin: kept
      expect((await tokens.get(key, context)).token).toBe('ya29.fake-1');
      now += 2000; // inside the margin: fetched again
      expect((await Promise.all([tokens.get(key, context), tokens.get(key, context)])).map((entry) => entry.token)).toEqual(['ya29.fake-2', 'ya29.fake-2']);
      expect(fake.exchanges.length).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('uses one token for many requests; the project defaults to the key\'s project_id', async () => {
    const client = await gatewayWith(fake.account().json);
    const before = fake.exchanges.length;
    const answers = await Promise.all(Array.from({ length: 4 }, () => ask(client)));
    expect(answers.every((answer) => answer.choices[0]!.message.content === 'Hello from Gemini on Vertex')).toBe(true);
    expect(fake.exchanges.length).toBe(before);
    expect(new Set(fake.calls.map((call) => call.token)).size).toBe(1);
    expect(fake.calls[0]!.project).toBe('proj-from-key');
  });

  it('after a 401 fetches a token once more and retries, invisibly to the client', async () => {
    const client = await gatewayWith(fake.account().json);
    await ask(client);
    fake.revokeTokens();
    const answer = await ask(client);
    expect(answer.choices[0]!.message.content).toBe('Hello from Gemini on Vertex');
    const [first, refused, retried] = fake.calls.map((call) => call.token);
    expect(refused).toBe(first);
    expect(retried).not.toBe(first);
    expect(fake.calls.length).toBe(3);
  });

  it('a key the token endpoint refuses (signature by another private key) fails as upstream_auth_failed and rests; nothing secret shows', async () => {
    const trusted = fake.account('trusted@p.iam.gserviceaccount.com');
    const impostor = JSON.parse(fake.account('other@p.iam.gserviceaccount.com').json) as Record<string, string>;
    const forged = JSON.stringify({ ...(JSON.parse(trusted.json) as Record<string, string>), private_key: impostor.private_key! });
    const client = await gatewayWith(forged);
    const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).toContain('invalid_grant: Invalid JWT Signature.');
    expect(error.message).not.toContain('PRIVATE KEY');
    expect(fake.calls).toEqual([]);
    await vi.waitFor(async () => {
      const [provider] = await harness!.gateway.control.listProviders();
      expect(provider!.keys[0]!.cooldownUntil).toBeGreaterThan(Date.now());
    }, { timeout: 20_000, interval: 100 });
    const [provider] = await harness!.gateway.control.listProviders();
    expect(JSON.stringify(provider)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(provider)).not.toContain(impostor.private_key!.slice(40, 80));
  });

  it('refuses a key that is not a service-account JSON with a clear message', async () => {
    const client = await gatewayWith('not json at all');
    const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/service-account JSON key/);
    expect(() => parseServiceAccount('{"client_email":"a@b"}')).toThrow(/private_key/);
    expect(() => parseServiceAccount(JSON.stringify({ ...(JSON.parse(fake.account().json) as object), token_uri: 'http://example.com/token' }))).toThrow(/https/);
  });

  it('derives the Google host from the region (global without a prefix) and keeps @ versions readable', () => {
    const provider = (region: string) => ({ baseUrl: 'https://aiplatform.googleapis.com', options: { project: 'p', region } }) as unknown as ProviderRecord;
    expect(vertexModelUrl(provider('global'), undefined, 'gemini-2.5-pro', true)).toBe('https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
    expect(vertexModelUrl(provider('us-east5'), undefined, 'claude-sonnet-4-5@20250929', false)).toBe('https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict');
  });
});
