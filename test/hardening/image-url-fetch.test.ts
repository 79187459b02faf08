/**
 * Finding 5: an image URL a client sends is downloaded (for Gemini, which takes images only
 * inline) over https from public addresses only — never loopback, private, link-local or this
 * machine's own — with no redirect into such places; the refusal is a 400 before anything is
 * fetched. Providers that cannot download (Ollama) refuse URL images without fetching either.
 */
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayOptions } from '../../src-proxy/gateway-types.ts';
import { isPublicAddress } from '../../src-proxy/upstream/public-address.ts';
import { startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini-upstream.ts';
import { startFakeOllama } from '../fixtures/fake-ollama-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { PNG, startImageHost, type ImageHost } from '../fixtures/https-image-server.ts';

const imageMessage = (url: string): OpenAI.ChatCompletionMessageParam[] => [
  { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }] },
];

describe('image URLs downloaded for Gemini', () => {
  let host: ImageHost;
  let gemini: FakeGemini;
  const closers: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    host = await startImageHost({
      '/moved.png': '/cat.png',
      '/to-other-loopback.png': 'https://127.0.0.2/cat.png',
      '/to-metadata.png': 'https://169.254.169.254/latest/meta-data/',
      '/to-plain-http.png': 'http://example.com/cat.png',
    });
    gemini = await startFakeGemini();
    closers.push(() => host.close(), () => gemini.close());
  });
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
  });

  async function gateway(mediaFetch?: GatewayOptions['mediaFetch']): Promise<{ client: OpenAI; harness: Harness }> {
    const harness = await startGateway({
      providers: [{ id: 'gem', kind: 'gemini', baseUrl: gemini.origin, keys: ['gemini-test-key-123'] }],
      aliases: [{ alias: 'flash', targets: [{ provider: 'gem', model: 'gemini-2.5-flash' }] }],
      mediaFetch,
    });
    closers.push(() => harness.close());
    return { client: new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 }), harness };
  }
  const modelCalls = () => gemini.requests.filter((request) => request.operation !== 'models');

  it('downloads an https image (following a redirect on the same host) and sends it inline; data URLs go inline as they are', async () => {
    // The test host is on loopback: this gateway's rule admits exactly 127.0.0.1 and trusts its certificate.
    const { client } = await gateway({ allowAddress: (address) => address === '127.0.0.1', ca: host.ca });
    await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: `${host.origin}/moved.png` } },
      { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/AAAA' } },
    ] }] });
    expect(host.requests).toEqual(['/moved.png', '/cat.png']);
    const parts = (modelCalls().at(-1)!.body!.contents as Array<{ parts: unknown[] }>)[0]!.parts;
    expect(parts).toEqual([
      { text: 'What is this?' },
      { inlineData: { mimeType: 'image/png', data: PNG.toString('base64') } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/AAAA' } },
    ]);
  });

  it('refuses every loopback, private, link-local and non-https image URL with a 400, fetching nothing', async () => {
    const { client } = await gateway();
    const refused = [
      `${host.origin}/cat.png`,
      `https://localhost:${host.port}/cat.png`,
      `https://[::1]:${host.port}/cat.png`,
      `https://[::ffff:127.0.0.1]:${host.port}/cat.png`,
      `https://[::ffff:7f00:1]:${host.port}/cat.png`,
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.7/cat.png',
      'https://192.168.1.20/cat.png',
      'https://172.20.0.1/cat.png',
      'https://100.64.0.1/cat.png',
      'https://0.0.0.0/cat.png',
      'https://[fd00::1]/cat.png',
      'https://[fe80::1]/cat.png',
      `http://127.0.0.1:${host.port}/cat.png`,
      'http://example.com/cat.png',
    ];
    for (const url of refused) {
      const error = await client.chat.completions.create({ model: 'flash', messages: imageMessage(url) }).catch((e: unknown) => e);
      expect(error, url).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).code, url).toBe('image_url_refused');
    }
    expect(host.requests).toEqual([]);
    expect(modelCalls()).toEqual([]);
  });

  it('refuses a redirect into a refused place: only the first hop is fetched', async () => {
    const { client } = await gateway({ allowAddress: (address) => address === '127.0.0.1', ca: host.ca });
    for (const path of ['/to-other-loopback.png', '/to-metadata.png', '/to-plain-http.png']) {
      const error = await client.chat.completions.create({ model: 'flash', messages: imageMessage(`${host.origin}${path}`) }).catch((e: unknown) => e);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).code, path).toBe('image_url_refused');
      expect((error as Error).message).toMatch(/public|https/);
    }
    expect(host.requests).toEqual(['/to-other-loopback.png', '/to-metadata.png', '/to-plain-http.png']);
    expect(modelCalls()).toEqual([]);
  });

  it('an Ollama provider refuses URL images without fetching them', async () => {
    const ollama = await startFakeOllama();
    closers.push(() => ollama.close());
    const harness = await startGateway({
      providers: [{ id: 'local', kind: 'ollama', baseUrl: ollama.origin }],
      aliases: [{ alias: 'llava', targets: [{ provider: 'local', model: 'llava' }] }],
    });
    closers.push(() => harness.close());
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const error = await client.chat.completions.create({ model: 'llava', messages: imageMessage(`${host.origin}/cat.png`) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(host.requests).toEqual([]);
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true], ['1.1.1.1', true], ['2606:4700:4700::1111', true], ['::ffff:8.8.8.8', true],
    ['127.0.0.1', false], ['127.5.5.5', false], ['10.1.2.3', false], ['172.16.0.1', false], ['172.31.255.255', false], ['192.168.0.1', false],
    ['169.254.169.254', false], ['100.64.1.1', false], ['0.0.0.0', false], ['224.0.0.1', false], ['255.255.255.255', false],
    ['::1', false], ['::', false], ['fe80::1', false], ['fd12:3456::1', false], ['::ffff:127.0.0.1', false], ['::ffff:7f00:1', false],
    ['::ffff:a9fe:a9fe', false], ['64:ff9b::10.0.0.1', false], ['ff02::1', false], ['not-an-ip', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
