import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import { errorAnswer, startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';

const CANARY_KEY = 'sk-canary-key-7c1e9b2f5a';
const CANARY_TOKEN = 'sb-canary-token-4d8a6e0c3f';

describe('secrets never reach logs, history or the database in plain text', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-canary-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('after success and error paths (upstream 401 and 500, 413, bad token), no file holds the key or the token', async () => {
    const upstream = await startFakeOpenAi();
    const logFile = join(dataDir, 'engine.log');
    const logger = pino({ level: 'trace' }, pino.destination({ dest: logFile, sync: true }));
    const gateway = await createGateway({ dataDir, port: 0, logger });
    await gateway.control.updateSettings({ recordBodies: true, bodyLimitBytes: 64 * 1024 });
    await gateway.control.createProvider({ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl });
    await gateway.control.addKey({ providerId: 'fake', secret: CANARY_KEY });
    await gateway.control.createAlias({ alias: 'm', targets: [{ provider: 'fake', model: 'x' }] });
    await gateway.control.importConfig({ config: { clients: [{ name: 'canary', token: CANARY_TOKEN }] } });
    const { port } = await gateway.start();
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: CANARY_TOKEN, maxRetries: 0 });

    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    upstream.enqueue('/v1/chat/completions', errorAnswer(500, 'boom'));
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch(() => null);
    // Last: a rejected key rests, so later requests would not reach the upstream.
    upstream.enqueue('/v1/chat/completions', errorAnswer(401, `Incorrect API key provided: ${CANARY_KEY}`));
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch(() => null);
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] }).catch(() => null);
    await new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: `${CANARY_TOKEN}-wrong`, maxRetries: 0 }).models.list().catch(() => null);

    // Every response a client can see: the key never appears, even echoed back by the provider.
    gateway.flushHistory();
    const rows = (await gateway.control.queryHistory({ limit: 10 })).rows;
    expect(rows.map((row) => row.errorCode)).toEqual(expect.arrayContaining([null, 'upstream_auth_failed', 'upstream_error']));
    for (const row of rows) {
      const detail = JSON.stringify(await gateway.control.getHistoryEntry({ id: row.id }));
      expect(detail).not.toContain(CANARY_KEY);
      expect(detail).not.toContain(CANARY_TOKEN);
    }
    const exported = await gateway.control.exportConfig({});
    expect(JSON.stringify(exported)).not.toContain(CANARY_KEY);
    expect(JSON.stringify(await gateway.control.listProviders())).not.toContain(CANARY_KEY);

    await gateway.close();
    await upstream.close();
    for (const file of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, file));
      expect(bytes.includes(CANARY_KEY), `${file} holds the provider key`).toBe(false);
      expect(bytes.includes(CANARY_TOKEN), `${file} holds the client token`).toBe(false);
    }
    expect(readFileSync(logFile, 'utf8').length).toBeGreaterThan(0);
  });
});
