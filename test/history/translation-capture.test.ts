/**
 * The translation view's capture (issue 15): with body capture on, a request's history detail
 * holds all four legs — the client's request, the upstream request after translation, the
 * provider's own answer and what the client got — plus the upstream call's address, status and
 * headers, redacted with the one list and never holding the provider key. A same-dialect answer
 * forwarded unchanged is the client's answer (stored once). With capture off nothing is kept.
 */
import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE_NAME } from '../../src-proxy/store/database.ts';
import type { SqliteStore } from '../../src-proxy/store/types.ts';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamCapture, TRUNCATED_MARK } from '../../src-proxy/http/upstream-capture.ts';
import type { NativeStream } from '../../src-proxy/providers/types.ts';
import type { UpstreamResponse } from '../../src-proxy/upstream/http-client.ts';
import { errorAnswer, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const KEY = 'sk-translation-key-7c41d9e0';

describe('the translation view capture, through the official SDKs', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let anthropic: Anthropic;
  let openai: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      settings: { recordBodies: true },
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: [KEY] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'fake', model: 'fake-large' }] }],
    });
    anthropic = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });

  const latestDetail = () => {
    harness.gateway.flushHistory();
    // The harness runs on SQLite, whose history answers at once.
    const history = (harness.gateway.store as SqliteStore).history;
    const row = history.latest(1)[0]!;
    return history.get(row.id)!;
  };

  it('keeps all four legs of a translated answer (Anthropic client → OpenAI provider), headers redacted', async () => {
    await anthropic.messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'translate me' }] });
    const { bodies } = latestDetail();
    expect(JSON.parse(bodies!.clientRequest!)).toMatchObject({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'translate me' }] });
    const sent = JSON.parse(bodies!.upstreamRequest!) as { model: string; messages: unknown[] };
    expect(sent.model).toBe('fake-large');
    expect(JSON.stringify(sent.messages)).toContain('translate me');
    expect(JSON.parse(bodies!.upstreamResponse!)).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello from fake' } }] });
    expect(JSON.parse(bodies!.response!)).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'Hello from fake' }] });
    expect(bodies!.upstream).toMatchObject({ url: `${upstream.baseUrl}/chat/completions`, status: 200 });
    expect(bodies!.upstream!.requestHeaders!.authorization).toBe('[redacted]');
    expect(bodies!.upstream!.responseHeaders!['content-type']).toContain('application/json');
    expect(JSON.stringify(latestDetail())).not.toContain(KEY);
  });

  it('keeps the raw upstream SSE of a translated stream beside the client stream', async () => {
    const stream = await anthropic.messages.create({ model: 'm', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'stream me' }] });
    for await (const _event of stream) void _event;
    const { bodies } = latestDetail();
    expect(bodies!.upstreamResponse).toContain('data: {');
    expect(bodies!.upstreamResponse).toContain('chat.completion.chunk');
    expect(bodies!.upstreamResponse).toContain('data: [DONE]');
    expect(bodies!.response).toContain('event: message_start');
    expect(bodies!.response).not.toContain('chat.completion.chunk');
  });

  it('a same-dialect answer forwarded unchanged is the client answer, kept once', async () => {
    await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'same dialect' }] });
    const { bodies } = latestDetail();
    expect(bodies!.upstreamResponse).not.toBeNull();
    expect(bodies!.upstreamResponse).toBe(bodies!.response);
    const db = new Database(join(harness.dataDir, DATABASE_FILE_NAME), { readonly: true });
    try {
      const stored = db.prepare('SELECT upstream_response, upstream_same_response FROM history_bodies ORDER BY seq DESC LIMIT 1').get();
      expect(stored).toEqual({ upstream_response: null, upstream_same_response: 1 });
    } finally {
      db.close();
    }
  });

  it('keeps a failed attempt’s answer as the provider sent it', async () => {
    upstream.enqueue('/v1/chat/completions', errorAnswer(400, 'bad thing'));
    await anthropic.messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'fail me' }] }).catch(() => null);
    const { bodies, status } = latestDetail();
    expect(status).toBe(400);
    expect(bodies!.upstream).toMatchObject({ status: 400 });
    expect(bodies!.upstreamResponse).toContain('bad thing');
  });

  it('keeps nothing with capture off', async () => {
    await harness.gateway.control.updateSettings({ recordBodies: false });
    try {
      await anthropic.messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'not kept' }] });
      expect(latestDetail().bodies).toBeNull();
    } finally {
      await harness.gateway.control.updateSettings({ recordBodies: true });
    }
  });
});

describe('createUpstreamCapture', () => {
  const native = (chunks: string[]): NativeStream => ({
    response: { status: 200, headers: { 'content-type': 'text/event-stream' } } as unknown as UpstreamResponse,
    body: (async function* () {
      for (const chunk of chunks) yield Buffer.from(chunk);
    })(),
  });

  it('passes every byte through, keeps up to its bound and says it cut', async () => {
    const capture = createUpstreamCapture(10);
    capture.request({
      url: 'https://up.example/v1?key=abc',
      headers: { authorization: 'Bearer sk-secret-1234', 'Content-Type': 'application/json', 'x-team-auth': 'a-header-the-user-configured' },
      secrets: ['sk-secret-1234'],
    });
    let seen = '';
    for await (const chunk of capture.answered(native(['0123456', '789abc', 'def'])).body) seen += chunk.toString();
    expect(seen).toBe('0123456789abcdef');
    const leg = capture.leg();
    expect(leg.response).toBe(`0123456789${TRUNCATED_MARK}`);
    expect(leg.url).toBe('https://up.example/v1?key=[redacted]');
    // A header the user configured on the provider may hold a second secret: kept by name only.
    expect(leg.requestHeaders).toEqual({ authorization: '[redacted]', 'content-type': 'application/json', 'x-team-auth': '[redacted]' });
  });

  it('a new attempt replaces the last one', async () => {
    const capture = createUpstreamCapture();
    capture.request({ url: 'https://a.example', headers: {}, secrets: [] });
    capture.failed(429, {}, 'slow down');
    capture.request({ url: 'https://b.example', headers: {}, secrets: [] });
    for await (const _chunk of capture.answered(native(['{"ok":true}'])).body) void _chunk;
    expect(capture.leg()).toMatchObject({ url: 'https://b.example', status: 200, response: '{"ok":true}' });
  });
});
