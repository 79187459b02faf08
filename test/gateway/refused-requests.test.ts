/**
 * Requests the gateway's own checks refuse (no token, a wrong token, a foreign Host) are history
 * rows with client "(unauthenticated)", so a user sees who is knocking; the presented token never
 * reaches the history, and a flood is capped per minute.
 */
import { request as httpRequest } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayError } from '../../src-proxy/errors/codes.ts';
import { GatewayError as GatewayErrorClass } from '../../src-proxy/errors/codes.ts';
import type { HistoryRecord } from '../../src-proxy/domain/history.ts';
import { createRefusalRows } from '../../src-proxy/http/refusal-rows.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const WRONG_TOKEN = 'sb-wrong-token-canary-7f3a9c';

describe('refused requests in the history', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] }],
      aliases: [{ alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] }],
    });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  async function rows() {
    harness.gateway.flushHistory();
    return (await harness.gateway.control.queryHistory({ limit: 50 })).rows;
  }

  it('a wrong token (OpenAI SDK, Anthropic SDK) and a missing one are rows of "(unauthenticated)" with their code; the token is not kept', async () => {
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: WRONG_TOKEN, maxRetries: 0 });
    const refused = await openai.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    const anthropic = new Anthropic({ baseURL: harness.origin, apiKey: WRONG_TOKEN, maxRetries: 0 });
    const refusedToo = await anthropic.messages.create({ model: 'coder', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect((refusedToo as InstanceType<typeof Anthropic.APIError>).status).toBe(401);
    const missing = await fetch(`${harness.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' }, body: '{"model":"coder","messages":[]}' });
    expect(missing.status).toBe(401);
    expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);

    const refusedRows = await rows();
    expect(refusedRows.map((row) => [row.client, row.dialect, row.endpoint, row.status, row.errorCode])).toEqual([
      ['(unauthenticated)', 'openai', '/v1/chat/completions', 401, 'missing_client_token'],
      ['(unauthenticated)', 'anthropic', '/v1/messages', 401, 'invalid_client_token'],
      ['(unauthenticated)', 'openai', '/v1/chat/completions', 401, 'invalid_client_token'],
    ]);
    const detail = await harness.gateway.control.getHistoryEntry({ id: refusedRows[0]!.id });
    expect(detail).toMatchObject({ attempts: [], requestHeaders: { 'user-agent': 'curl/8.5.0' } });
    const withToken = await harness.gateway.control.getHistoryEntry({ id: refusedRows[2]!.id });
    expect(withToken!.requestHeaders!.authorization).toBe('[redacted]');
    expect(JSON.stringify(withToken)).not.toContain(WRONG_TOKEN);
  });

  it('a foreign Host is a 403 row; the control API\'s own refusals are not gateway rows', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: harness.port, path: '/v1/models', headers: { host: 'rebound.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const control = await fetch(`${harness.origin}/api/control/status`, { headers: { 'x-switchboard-admin': 'wrong' } });
    expect(control.status).toBeGreaterThanOrEqual(400);
    expect((await rows()).map((row) => [row.client, row.status, row.errorCode])).toEqual([['(unauthenticated)', 403, 'forbidden_host']]);
  });

  it('a valid request is not refused and not "(unauthenticated)"', async () => {
    const models = await new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 }).models.list();
    expect(models.data.length).toBeGreaterThan(0);
    expect((await rows()).filter((row) => row.client === '(unauthenticated)')).toEqual([]);
  });
});

describe('the refusal rows cap', () => {
  const request = { url: '/v1/chat/completions?x=1', headers: { 'user-agent': 'flood' } } as never;
  const error = (code: 'invalid_client_token' | 'invalid_request'): GatewayError => new GatewayErrorClass(code);

  it('writes at most perMinute rows a minute and says how many it left out in the next one', () => {
    const written: HistoryRecord[] = [];
    let now = 60_000 * 1000;
    const record = createRefusalRows({ record: (row) => written.push(row), perMinute: 5, now: () => now });
    for (let i = 0; i < 100; i++) record(request, 'openai', error('invalid_client_token'));
    expect(written).toHaveLength(5);
    expect(written[0]).toMatchObject({ endpoint: '/v1/chat/completions', client: '(unauthenticated)', status: 401, notes: [] });
    now += 60_000;
    record(request, 'openai', error('invalid_client_token'));
    expect(written).toHaveLength(6);
    expect(written[5]!.notes).toEqual(['95 more refused requests in the minutes before were not recorded (at most 5 a minute)']);
  });

  it('records only who may not use the gateway, not malformed requests', () => {
    const written: HistoryRecord[] = [];
    createRefusalRows({ record: (row) => written.push(row) })(request, 'openai', error('invalid_request'));
    expect(written).toEqual([]);
  });
});
