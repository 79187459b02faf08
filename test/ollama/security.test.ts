import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('security of the Ollama routes (no client token; loopback, Host, Origin and JSON checks)', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;

  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream-key-1'] }],
      aliases: [{ alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] }],
      settings: { requireClientToken: true },
    });
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });

  const chatBody = JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }], stream: false });

  it('serves chat without a client token even when tokens are required elsewhere', async () => {
    const ollama = await request(`${harness.origin}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody });
    expect(ollama.statusCode).toBe(200);
    expect(((await ollama.body.json()) as { message: { content: string } }).message.content).toBe('Hello from fake');
    const openai = await request(`${harness.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody });
    expect(openai.statusCode).toBe(401);
    await openai.body.dump();
  });

  it.each([
    { name: 'a foreign Host header', headers: { host: 'evil.example:11434', 'content-type': 'application/json' }, status: 403, words: 'Host header' },
    { name: 'a foreign browser Origin', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, status: 403, words: 'web pages' },
    { name: 'a text/plain body', headers: { 'content-type': 'text/plain' }, status: 415, words: 'JSON' },
  ])('refuses $name with $status in Ollama error shape', async ({ headers, status, words }) => {
    const chatsBefore = upstream.requests.filter((entry) => entry.path.endsWith('/chat/completions')).length;
    const response = await request(`${harness.origin}/api/chat`, { method: 'POST', headers, body: chatBody });
    expect(response.statusCode).toBe(status);
    const body = (await response.body.json()) as Record<string, unknown>;
    // Ollama's shape, plus Switchboard's code beside it (clients ignore unknown fields).
    expect(Object.keys(body)).toEqual(['error', 'code']);
    expect(body.error).toEqual(expect.stringContaining(words));
    expect(upstream.requests.filter((entry) => entry.path.endsWith('/chat/completions'))).toHaveLength(chatsBefore);
  });

  it('refuses a foreign Host on GET routes too, and answers unknown /api paths in Ollama shape', async () => {
    const tags = await request(`${harness.origin}/api/tags`, { headers: { host: 'rebind.example' } });
    expect(tags.statusCode).toBe(403);
    expect((await tags.body.json()) as object).toMatchObject({ code: 'forbidden_host' });
    const unknown = await request(`${harness.origin}/api/nothing-here`);
    expect(unknown.statusCode).toBe(404);
    expect(Object.keys((await unknown.body.json()) as object)).toEqual(['error', 'code']);
  });
});
