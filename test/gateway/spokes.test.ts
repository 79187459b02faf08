// A provider and a front door that exist only in this test, each one folder
// (test/fixtures/throwaway-spokes/) plus one registry line, work end to end: through the real
// server, security gate, router, history and control API, next to the build's own spokes.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrontDoors, FRONT_DOORS } from '../../src-proxy/dialects/registry.ts';
import { endpointUrl } from '../../src-proxy/domain/endpoints.ts';
import { createProviderCatalog, PROVIDER_SPOKES } from '../../src-proxy/providers/registry.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { echoProvider } from '../fixtures/throwaway-spokes/echo-provider/index.ts';
import { shoutDoor } from '../fixtures/throwaway-spokes/shout-door/index.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startGateway({
    spokes: {
      // The one registry line each spoke needs:
      providers: createProviderCatalog([...PROVIDER_SPOKES, echoProvider]),
      frontDoors: createFrontDoors([...FRONT_DOORS, shoutDoor]),
    },
    providers: [{ id: 'parrot', kind: 'echo', baseUrl: 'http://127.0.0.1:9', options: { prefix: '» ' } }],
    aliases: [{ alias: 'talk', targets: [{ provider: 'parrot', model: 'echo-1' }] }],
  });
});
afterAll(async () => harness?.close());

const shout = (body: unknown, key: string | null = harness.token, path = '/shout/say') =>
  fetch(`${harness.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-shout-key': key } : {}) },
    body: JSON.stringify(body),
  });

describe('a throwaway provider spoke', () => {
  it('answers an OpenAI SDK client through the translated path, with its own option', async () => {
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'talk', messages: [{ role: 'user', content: 'hello' }] });
    expect(completion.choices[0]?.message.content).toMatch(/^» hello \(call \d+, model echo-1\)$/);
    expect(completion.usage?.prompt_tokens).toBe(5);
  });

  it('is listed for the dashboard with its label, options and presets, and its options are checked', async () => {
    const kinds = await harness.gateway.control.listProviderKinds();
    expect(kinds.map((kind) => kind.kind)).toEqual([...PROVIDER_SPOKES.map((spoke) => spoke.kind), 'echo']);
    expect(kinds.at(-1)).toMatchObject({ label: 'Echo (test)', keyOptional: true, options: [{ key: 'prefix', type: 'string' }] });
    await expect(harness.gateway.control.createProvider({ id: 'bad', kind: 'echo', baseUrl: 'http://127.0.0.1:9', options: { volume: 11 } })).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'options',
    });
    await expect(harness.gateway.control.createProvider({ id: 'bad', kind: 'nope', baseUrl: 'http://127.0.0.1:9' })).rejects.toMatchObject({ param: 'kind' });
  });

  it('gets its own adapter instance per gateway (no state shared through a module)', async () => {
    const second = await startGateway({
      spokes: { providers: createProviderCatalog([...PROVIDER_SPOKES, echoProvider]) },
      providers: [{ id: 'parrot', kind: 'echo', baseUrl: 'http://127.0.0.1:9' }],
      aliases: [{ alias: 'talk', targets: [{ provider: 'parrot', model: 'echo-1' }] }],
    });
    try {
      const client = new OpenAI({ baseURL: second.baseUrl, apiKey: second.token, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'talk', messages: [{ role: 'user', content: 'x' }] });
      expect(completion.choices[0]?.message.content).toBe('x (call 1, model echo-1)');
    } finally {
      await second.close();
    }
  });
});

describe('a throwaway front door', () => {
  it('serves its route, reading the client token where it says its clients put it', async () => {
    const answer = await shout({ model: 'talk', text: 'quiet please' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ reply: expect.stringMatching(/^» QUIET PLEASE \(CALL \d+, MODEL ECHO-1\)$/) });
  });

  it('refuses a missing or wrong token in its own error shape', async () => {
    const missing = await shout({ model: 'talk', text: 'x' }, null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'missing_client_token', oops: expect.stringMatching(/^[^a-z]+$/) });
    const wrong = await shout({ model: 'talk', text: 'x' }, 'sb-not-a-real-token-000000');
    expect(wrong.status).toBe(401);
    // A bearer token is not where this door's clients put theirs.
    const bearer = await fetch(`${harness.origin}/shout/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: JSON.stringify({ model: 'talk', text: 'x' }),
    });
    expect(bearer.status).toBe(401);
  });

  it('owns its path prefix: an unknown path under it gets its error shape, an unknown model too', async () => {
    const unknownPath = await shout({}, harness.token, '/shout/whisper');
    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toMatchObject({ code: 'not_found' });
    const unknownModel = await shout({ model: 'nobody', text: 'x' });
    expect(unknownModel.status).toBe(404);
    expect(await unknownModel.json()).toMatchObject({ code: 'model_not_found' });
  });

  it('is listed among the endpoints, and its requests are in the history under its name', async () => {
    const status = harness.gateway.status();
    expect(status.endpoints.map((endpoint) => endpoint.label)).toEqual([...createFrontDoors().endpoints().map((endpoint) => endpoint.label), 'Shout']);
    expect(endpointUrl(status.baseUrl!, status.endpoints.at(-1)!)).toBe(`${harness.origin}/shout`);
    harness.gateway.flushHistory();
    const rows = (await harness.gateway.control.queryHistory({ dialect: 'shout' })).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.find((row) => row.status === 200)).toMatchObject({ endpoint: '/shout/say', provider: 'parrot', upstreamModel: 'echo-1' });
  });
});
