/**
 * Chaos probes on what clients send: malformed bodies at every front door, model names that try
 * to leave the provider's base path on every provider kind, and a canary secret looked for in
 * every place the gateway writes (logs, database, WAL, journal, exports, history, the UI's lists).
 */
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import { startFakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { startFakeAzure } from '../fixtures/fake-azure-upstream.ts';
import { startFakeGemini } from '../fixtures/fake-gemini-upstream.ts';
import { startFakeOllama } from '../fixtures/fake-ollama-upstream.ts';
import { startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway } from '../fixtures/gateway-harness.ts';
import { malformedCorpus, sendMalformed, shapeProblem } from '../fixtures/malformed-corpus.ts';
import type { Figure } from './figures.ts';

/** Runs `work` over `items`, `width` at a time. */
export async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

/** Up to `count` cases, taken from each front door in turn, so every door is in even a short run. */
function sampleEveryDoor<T extends { door: { path: string } }>(corpus: T[], count: number): T[] {
  const byDoor = new Map<string, T[]>();
  for (const entry of corpus) byDoor.set(entry.door.path, [...(byDoor.get(entry.door.path) ?? []), entry]);
  const chosen: T[] = [];
  for (let round = 0; chosen.length < count && chosen.length < corpus.length; round++) {
    for (const cases of byDoor.values()) if (round < cases.length && chosen.length < count) chosen.push(cases[round]!);
  }
  return chosen;
}

export async function malformedBodies(count: number): Promise<Figure> {
  const upstream = await startFakeOpenAi();
  const harness = await startGateway({
    providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }],
    aliases: [{ alias: 'm', targets: [{ provider: 'up', model: 'x' }] }],
    settings: { recordBodies: true },
  });
  try {
    const chosen = sampleEveryDoor(malformedCorpus('m'), count);
    let held = 0;
    await pool(chosen, 8, async (entry) => {
      const { status, body } = await sendMalformed(harness.origin, harness.token, entry);
      if (status >= 400 && status < 500 && shapeProblem(entry.door.shape, body) === null) held++;
    });
    const forwarded = upstream.requests.filter((r) => r.method === 'POST').length;
    const doors = new Set(chosen.map((entry) => entry.door.path)).size;
    return { probe: 'malformed bodies', tried: chosen.length, held: held - forwarded, needed: chosen.length, detail: `${doors} front doors; 4xx in the door's shape, ${forwarded} forwarded` };
  } finally {
    await harness.close();
    await upstream.close();
  }
}

const TRAVERSALS = ['../../v1/chat/completions#', 'a/../b', '..', 'x#y', 'x?y=1', 'bad\u0000name', 'bad\nname', 'bad\rname', 'tab\u0007bell', '%2e%2e/x'];

export async function modelNameTraversal(): Promise<Figure> {
  const [openai, anthropic, gemini, ollama, azure] = await Promise.all([startFakeOpenAi(), startFakeAnthropic(), startFakeGemini(), startFakeOllama(), startFakeAzure()]);
  const harness = await startGateway({
    providers: [
      { id: 'oai', kind: 'openai', baseUrl: openai.baseUrl, keys: ['sk-oai-secret'] },
      { id: 'ant', kind: 'anthropic', baseUrl: anthropic.baseUrl, keys: ['sk-ant-secret'] },
      { id: 'gem', kind: 'gemini', baseUrl: gemini.origin, keys: [gemini.apiKey] },
      { id: 'oll', kind: 'ollama', baseUrl: ollama.origin },
      { id: 'azc', kind: 'azure-openai', baseUrl: azure.origin, keys: [azure.apiKey] },
    ],
  });
  const posts = () =>
    [openai.requests, anthropic.requests, gemini.requests, azure.requests].reduce((sum, list) => sum + list.filter((r) => r.method !== 'GET').length, 0) +
    ollama.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/api/show')).length;
  try {
    const cases = ['oai', 'ant', 'gem', 'oll', 'azc'].flatMap((provider) => TRAVERSALS.map((name) => `${provider}/${name}`));
    cases.push('gem/vendor/model', 'azc/vendor/model');
    let held = 0;
    for (const model of cases) {
      const before = posts();
      const response = await fetch(`${harness.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.arrayBuffer();
      if (response.status === 400 && posts() === before) held++;
    }
    return { probe: 'model-name traversal', tried: cases.length, held, needed: cases.length, detail: '5 provider kinds; 400 before any upstream call' };
  } finally {
    await harness.close();
    await Promise.all([openai.close(), anthropic.close(), gemini.close(), ollama.close(), azure.close()]);
  }
}

const CANARY = 'canary-7d1f0c2b9e';

/** A provider key, a header value and secrets a client sends: none may be found in clear anywhere. */
export async function canarySecret(): Promise<Figure> {
  const upstream = await startFakeOpenAi();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-chaos-'));
  const logs: string[] = [];
  const gateway = await createGateway({ dataDir, port: 0, logger: pino({ level: 'trace' }, { write: (line: string) => void logs.push(line) }) });
  try {
    await gateway.control.updateSettings({ recordBodies: true });
    await gateway.control.createProvider({ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, headers: { 'x-second-auth': `hdr-${CANARY}` } });
    await gateway.control.addKey({ providerId: 'up', secret: `sk-${CANARY}` });
    await gateway.control.createAlias({ alias: 'm', targets: [{ provider: 'up', model: 'x' }] });
    const { token } = await gateway.control.createClientToken({ name: 'chaos' });
    const status = await gateway.start();
    for (const stream of [false, true]) {
      const response = await fetch(`http://127.0.0.1:${status.port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'openai-api-key': `oak-${CANARY}`, 'x-api-key': `xak-${CANARY}` },
        body: JSON.stringify({ model: 'm', stream, api_key: `body-${CANARY}`, metadata: { password: `pw-${CANARY}` }, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.text();
    }
    // An upstream that rejects the key and echoes it back.
    upstream.route = () => (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: sk-${CANARY}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    };
    const failed = await fetch(`http://127.0.0.1:${status.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const places: Array<[string, string | Buffer]> = [['error answer', await failed.text()]];
    gateway.flushHistory();
    const history = await gateway.control.queryHistory({ limit: 10 });
    places.push(['history list', JSON.stringify(history)]);
    for (const row of history.rows) places.push([`history entry ${row.id}`, JSON.stringify(await gateway.control.getHistoryEntry({ id: row.id }))]);
    places.push(['export', JSON.stringify(await gateway.control.exportConfig({}))]);
    places.push(['providers list', JSON.stringify(await gateway.control.listProviders())]);
    gateway.store.checkpoint();
    places.push(['logs', logs.join('')]);
    for (const name of readdirSync(dataDir)) places.push([name, readFileSync(join(dataDir, name))]);
    const leaks = places.filter(([, content]) => content.includes(CANARY)).map(([name]) => name);
    return { probe: 'canary secret', tried: places.length, held: places.length - leaks.length, needed: places.length, detail: leaks.length ? `found in: ${leaks.join(', ')}` : 'logs, db, wal, journal, exports, history, answers' };
  } finally {
    await gateway.close({ drainTimeoutMs: 200 });
    rmSync(dataDir, { recursive: true, force: true });
    await upstream.close();
  }
}
