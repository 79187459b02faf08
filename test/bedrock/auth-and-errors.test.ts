// Bedrock's credentials and failures end to end: SigV4 checked by AWS's own signer in the fake
// (wrong secret, changed body), a Bedrock API key as a bearer token, Bedrock's error names mapped
// to gateway codes (and key rests), exceptions inside a ConverseStream as in-band errors.
import OpenAI from 'openai';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../src-proxy/providers/bedrock/credentials.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bedrockError, converse, startFakeBedrock, type FakeBedrock } from '../fixtures/fake-bedrock-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const IDENTITY = { accessKeyId: 'ASIAFAKEEXAMPLE67890', secretAccessKey: 'right/secret+KEY/0123456789abcdefghijklmn', sessionToken: 'FwoGZXIvYXdzEXAMPLEtoken' };
const API_KEY = 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl';
const MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

describe('Bedrock credentials and errors', () => {
  let fake: FakeBedrock;
  let harness: Harness | undefined;
  beforeEach(async () => {
    fake = await startFakeBedrock({ identities: [IDENTITY], apiKeys: [API_KEY] });
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await fake.close();
  });

  async function gatewayWith(keys: string[]) {
    harness = await startGateway({ providers: [{ id: 'aws', kind: 'bedrock', baseUrl: fake.origin, options: { region: 'us-west-2' }, keys }], aliases: [{ alias: 'claude', targets: [{ provider: 'aws', model: MODEL }] }] });
    return new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  }

  it('signs with a session token from the JSON key form', async () => {
    const client = await gatewayWith([JSON.stringify(IDENTITY)]);
    const completion = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]!.message.content).toBe('Hello from Bedrock');
    const seen = fake.requests.at(-1)!;
    expect([seen.auth, seen.region, seen.headers['x-amz-security-token']]).toEqual(['sigv4', 'us-west-2', IDENTITY.sessionToken]);
    expect(String(seen.headers.authorization)).toMatch(/SignedHeaders=.*x-amz-security-token/);
  });

  it('sends a Bedrock API key as a bearer token, unsigned', async () => {
    const client = await gatewayWith([API_KEY]);
    const completion = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }], stream: false });
    expect(completion.choices[0]!.message.content).toBe('Hello from Bedrock');
    const seen = fake.requests.at(-1)!;
    expect([seen.auth, seen.headers.authorization, seen.headers['x-amz-date']]).toEqual(['bearer', `Bearer ${API_KEY}`, undefined]);
  });

  it('a wrong secret is refused by the signature check: upstream_auth_failed, the key rests, the secret never shows', async () => {
    const client = await gatewayWith([`${IDENTITY.accessKeyId}:wrong/secret+KEY/0123456789abcdefghijklmn:${IDENTITY.sessionToken}`]);
    const error = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(403);
    expect(apiError.code).toBe('upstream_auth_failed');
    expect(apiError.message).toContain('InvalidSignatureException');
    expect(apiError.message).not.toContain('wrong/secret');
    // The rest follows once the key check (a signed ListFoundationModels) confirms the rejection.
    await vi.waitFor(async () => {
      const [provider] = await harness!.gateway.control.listProviders();
      expect(provider!.keys[0]!.cooldownUntil).toBeGreaterThan(Date.now());
    }, { timeout: 20_000, interval: 100 });
    const [provider] = await harness!.gateway.control.listProviders();
    expect(fake.requests.some((request) => request.operation === 'foundation-models')).toBe(true);
    expect(JSON.stringify(provider)).not.toContain('wrong/secret');
  });

  it('the fake refuses a correctly signed request whose body was changed afterwards', async () => {
    const url = new URL(`${fake.origin}/model/${encodeURIComponent(MODEL)}/converse`);
    const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
    const signer = new SignatureV4({ credentials: IDENTITY, region: 'us-west-2', service: 'bedrock', sha256: Sha256 });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'content-type': 'application/json' }, body });
    const { host: _host, ...headers } = signed.headers;
    const send = (payload: string) => fetch(url, { method: 'POST', headers, body: payload });
    expect((await send(body)).status).toBe(200);
    const tampered = await send(body.replace('Hi', 'Ho'));
    expect([tampered.status, tampered.headers.get('x-amzn-errortype')?.split(':')[0]]).toEqual([403, 'InvalidSignatureException']);
  });

  it.each([
    { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.', code: 'upstream_rate_limited', expectStatus: 429 },
    { status: 400, type: 'ValidationException', message: 'The provided model identifier is invalid.', code: 'model_not_found', expectStatus: 400 },
    { status: 400, type: 'ValidationException', message: 'messages: text field is blank', code: 'invalid_request', expectStatus: 400 },
    { status: 403, type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID.", code: 'upstream_forbidden', expectStatus: 403 },
    { status: 503, type: 'ServiceUnavailableException', message: 'Service is unavailable', code: 'upstream_error', expectStatus: 502 },
  ])('maps $type ($message) to $code', async ({ status, type, message, code, expectStatus }) => {
    const client = await gatewayWith([API_KEY]);
    fake.enqueue(bedrockError(status, type, message));
    const error = (await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect([error.status, error.code]).toEqual([expectStatus, code]);
    expect(error.message).toContain(message);
    const [provider] = await harness!.gateway.control.listProviders();
    // Only throttling rests the key (for the model); the others are not the key's fault.
    if (code !== 'upstream_rate_limited') expect(provider!.keys[0]!.cooldownUntil).toBeNull();
  });

  it('an exception inside the ConverseStream reaches the client as an in-band error after the text so far', async () => {
    const client = await gatewayWith([API_KEY]);
    fake.enqueue(converse({ content: [{ text: 'Partial answer' }], exception: { type: 'modelStreamErrorException', message: 'The model stopped unexpectedly' } }));
    let text = '';
    const failure = await (async () => {
      for await (const chunk of await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }], stream: true })) text += chunk.choices[0]?.delta?.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(text).toBe('Partial answer');
    expect(String(failure)).toContain('The model stopped unexpectedly');
  });
});
