// The Gemini front door reads the client token where Gemini clients put their key
// (`x-goog-api-key`, or `?key=`), refuses without one in Google's error shape, and the token
// never reaches the history, the captured headers or the logs — also when it came in the URL.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleGenAI } from '@google/genai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';
import { startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';

const TOKEN = 'sb-gemini-canary-token-9f3e1c7a';
let dataDir: string;
let logFile: string;
let gateway: Gateway;
let origin: string;
let fake: FakeOpenAi;
const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-gemini-token-'));
  logFile = join(dataDir, 'engine.log');
  fake = await startFakeOpenAi();
  gateway = await createGateway({ dataDir, port: 0, logger: pino({ level: 'trace' }, pino.destination({ dest: logFile, sync: true })) });
  await gateway.control.updateSettings({ recordBodies: true });
  await gateway.control.createProvider({ id: 'oai', kind: 'openai', baseUrl: fake.baseUrl });
  await gateway.control.addKey({ providerId: 'oai', secret: 'sk-upstream' });
  await gateway.control.createAlias({ alias: 'm', targets: [{ provider: 'oai', model: 'x' }] });
  await gateway.control.importConfig({ config: { clients: [{ name: 'gemini-cli', token: TOKEN }] } });
  origin = `http://127.0.0.1:${(await gateway.start()).port}`;
});
afterAll(async () => {
  await gateway?.close();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('client tokens at the Gemini front door', () => {
  it('accepts the token in x-goog-api-key (the SDK) and in ?key=, and names the client', async () => {
    fake.enqueue('/v1/chat/completions', textAnswer(['ok']));
    const ai = new GoogleGenAI({ apiKey: TOKEN, httpOptions: { baseUrl: origin, retryOptions: { attempts: 1 } } });
    expect((await ai.models.generateContent({ model: 'm', contents: 'hi' })).text).toBe('ok');
    fake.enqueue('/v1/chat/completions', textAnswer(['by query']));
    const viaQuery = await fetch(`${origin}/v1beta/models/m:generateContent?key=${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(viaQuery.status).toBe(200);
    gateway.flushHistory();
    const rows = (await gateway.control.queryHistory({ dialect: 'gemini' })).rows;
    expect(rows.map((row) => row.client)).toEqual(['gemini-cli', 'gemini-cli']);
  });

  it('refuses a missing or wrong token with 401 UNAUTHENTICATED', async () => {
    const missing = await fetch(`${origin}/v1beta/models/m:generateContent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', message: expect.any(String) } });
    const wrong = await fetch(`${origin}/v1beta/models?key=sb-wrong-token-000000000`);
    expect(wrong.status).toBe(401);
  });

  it('never writes the token to the history, captured headers, exports or logs', async () => {
    gateway.flushHistory();
    for (const row of (await gateway.control.queryHistory({ limit: 20 })).rows) {
      const detail = JSON.stringify(await gateway.control.getHistoryEntry({ id: row.id }));
      expect(detail).not.toContain(TOKEN);
    }
    await gateway.close();
    expect(readFileSync(logFile, 'utf8')).not.toContain(TOKEN);
    for (const file of ['switchboard.db', 'switchboard.db-wal']) {
      try {
        expect(readFileSync(join(dataDir, file)).includes(TOKEN)).toBe(false);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  });
});
