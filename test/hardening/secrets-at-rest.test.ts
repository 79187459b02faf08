/**
 * Finding 6: provider header values are encrypted at rest like keys, and captured bodies and
 * headers pass through one redaction list (header names and JSON keys): sensible defaults —
 * `openai-api-key` headers and `api_key` body fields among them — extendable in Settings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const HEADER_CANARY = 'hdr-canary-second-auth-7f3e1d';
const OPENAI_KEY_CANARY = 'sk-canary-openai-api-key-29c4';
const BODY_KEY_CANARY = 'sk-canary-body-api-key-81aa';
const NESTED_CANARY = 'canary-nested-password-55b0';
const CUSTOM_HEADER_CANARY = 'canary-custom-header-0e9d';
const CUSTOM_FIELD_CANARY = 'canary-custom-field-6a21';

/** Every file of the data folder (database, WAL, journal, key file…) as bytes. */
function dataFiles(dataDir: string): Array<[string, Buffer]> {
  return readdirSync(dataDir).map((name) => [name, readFileSync(join(dataDir, name))]);
}

describe('secrets at rest', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('stores provider header values encrypted: none of the data files holds them, the upstream still gets them', async () => {
    const upstream = await startFakeOpenAi();
    const harness = await startGateway({
      providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'], headers: { 'x-second-auth': HEADER_CANARY } }],
      aliases: [{ alias: 'm', targets: [{ provider: 'up', model: 'x' }] }],
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(upstream.requests.find((r) => r.path === '/v1/chat/completions')!.headers['x-second-auth']).toBe(HEADER_CANARY);
    // The dashboard sees it masked, as before.
    expect(JSON.stringify(await harness.gateway.control.listProviders())).not.toContain(HEADER_CANARY);
    harness.gateway.store.checkpoint();
    for (const [name, bytes] of dataFiles(harness.dataDir)) expect(bytes.includes(HEADER_CANARY), `${name} holds the header value`).toBe(false);
  });

  it('redacts captured headers and body fields with the default list, and with names added in Settings', async () => {
    const upstream = await startFakeOpenAi();
    const harness = await startGateway({
      providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'up', model: 'x' }] }],
      settings: { recordBodies: true },
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    const send = () =>
      fetch(`${harness.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${harness.token}`,
          'openai-api-key': OPENAI_KEY_CANARY,
          'x-custom-secret': CUSTOM_HEADER_CANARY,
        },
        body: JSON.stringify({
          model: 'm',
          api_key: BODY_KEY_CANARY,
          metadata: { auth: { password: NESTED_CANARY, note: 'keep me' } },
          session_token_x: CUSTOM_FIELD_CANARY,
          messages: [{ role: 'user', content: 'my "api_key": stays part of the prompt text' }],
        }),
      });

    expect((await send()).status).toBe(200);
    harness.gateway.flushHistory();
    const first = (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
    const detail = JSON.stringify(await harness.gateway.control.getHistoryEntry({ id: first.id }));
    for (const canary of [OPENAI_KEY_CANARY, BODY_KEY_CANARY, NESTED_CANARY]) expect(detail).not.toContain(canary);
    expect(detail).toContain('keep me');
    expect(detail).toContain('stays part of the prompt text');
    // Not in the default list: kept until the user adds the names.
    expect(detail).toContain(CUSTOM_HEADER_CANARY);
    expect(detail).toContain(CUSTOM_FIELD_CANARY);

    await harness.gateway.control.updateSettings({ redactFields: ['X-Custom-Secret', 'session_token_x'] });
    expect((await send()).status).toBe(200);
    harness.gateway.flushHistory();
    const second = (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
    const redacted = JSON.stringify(await harness.gateway.control.getHistoryEntry({ id: second.id }));
    for (const canary of [CUSTOM_HEADER_CANARY, CUSTOM_FIELD_CANARY, OPENAI_KEY_CANARY, BODY_KEY_CANARY, NESTED_CANARY]) expect(redacted).not.toContain(canary);
    expect(redacted).toContain('[redacted]');
  });

  it('no data file holds a redacted value, the journal included', async () => {
    const upstream = await startFakeOpenAi();
    const harness: Harness = await startGateway({
      providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'up', model: 'x' }] }],
      settings: { recordBodies: true },
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}`, 'openai-api-key': OPENAI_KEY_CANARY },
      body: JSON.stringify({ model: 'm', api_key: BODY_KEY_CANARY, messages: [{ role: 'user', content: 'hi' }] }),
    });
    harness.gateway.flushHistory();
    harness.gateway.store.checkpoint();
    for (const [name, bytes] of dataFiles(harness.dataDir)) {
      expect(bytes.includes(OPENAI_KEY_CANARY), `${name} holds the openai-api-key header`).toBe(false);
      expect(bytes.includes(BODY_KEY_CANARY), `${name} holds the api_key body field`).toBe(false);
    }
  });
});
