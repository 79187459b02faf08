/**
 * The translation view's "Client got" pane: with body capture on, a row keeps the headers the
 * client got — a whole answer's (set before its row is made), a stream's (read back from the
 * header block on the wire), an error's — redacted with the one capture list (here extended by
 * Settings → redactFields with x-request-id, whose value the client saw is the canary). Old rows
 * (NULL column) read without them; with capture off nothing is kept.
 */
import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../src-proxy/store/database.ts';
import type { SqliteStore } from '../../src-proxy/store/types.ts';
import { errorAnswer, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const KEY = 'sk-client-headers-key-5e0b13';

describe('the headers the client got, in a captured row', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let anthropic: Anthropic;
  let openai: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      settings: { recordBodies: true, redactFields: ['x-request-id'] },
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
    const history = (harness.gateway.store as SqliteStore).history;
    return history.get(history.latest(1)[0]!.id)!;
  };

  /** The row's client headers hold none of what the client's redacted header carried. */
  function expectRedacted(headers: Record<string, string>, requestId: string | null) {
    expect(requestId).toMatch(/^req_/);
    expect(headers['x-request-id']).toBe('[redacted]');
    expect(JSON.stringify(latestDetail().bodies)).not.toContain(KEY);
    expect(JSON.stringify(headers)).not.toContain(requestId!);
  }

  it('a whole translated answer: its content type and length, the request id redacted', async () => {
    const { response } = await anthropic.messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const headers = latestDetail().bodies!.responseHeaders!;
    expect(headers['content-type']).toBe(response.headers.get('content-type'));
    expectRedacted(headers, response.headers.get('x-request-id'));
  });

  it('a same-dialect stream: the header block as sent', async () => {
    const { data: stream, response } = await openai.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'stream' }] }).withResponse();
    for await (const _chunk of stream) void _chunk;
    const headers = latestDetail().bodies!.responseHeaders!;
    expect(headers['content-type']).toBe(response.headers.get('content-type'));
    expect(headers['content-type']).toContain('text/event-stream');
    expect(headers['cache-control']).toBe(response.headers.get('cache-control'));
    expectRedacted(headers, response.headers.get('x-request-id'));
  });

  it("an error answer in the client's dialect", async () => {
    upstream.enqueue('/v1/chat/completions', errorAnswer(400, 'bad thing'));
    const error = (await anthropic.messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'fail' }] }).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(400);
    const detail = latestDetail();
    expect(detail.status).toBe(400);
    expect(detail.bodies!.responseHeaders!['content-type']).toBe(error.headers!.get('content-type'));
    expectRedacted(detail.bodies!.responseHeaders!, error.headers!.get('x-request-id'));
  });

  it('a row stored before the column existed reads without them', async () => {
    await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'old' }] });
    const id = latestDetail().id;
    const db = new Database(join(harness.dataDir, DATABASE_FILE_NAME));
    try {
      db.prepare('UPDATE history_bodies SET response_headers = NULL WHERE seq = (SELECT max(seq) FROM history_bodies)').run();
    } finally {
      db.close();
    }
    const detail = (harness.gateway.store as SqliteStore).history.get(id)!;
    expect(detail.bodies!.responseHeaders).toBeNull();
    expect(detail.bodies!.response).toContain('Hello from fake');
  });
});
