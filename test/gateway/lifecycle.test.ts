import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { sleep, slowStream, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('graceful stop', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('lets short streams finish, ends long ones with an in-band "proxy stopping" error, and refuses new connections', async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'fake', model: 'x' }] }],
    });
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    upstream.enqueue('/v1/chat/completions', slowStream(6, 50)); // ~0.3 s: finishes inside the deadline
    upstream.enqueue('/v1/chat/completions', slowStream(100, 50)); // ~5 s: cut at the deadline
    const consume = async () => {
      const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    const short = consume();
    const chats = () => upstream.requests.filter((r) => r.path === '/v1/chat/completions').length;
    // Bounded waits on conditions, not fixed sleeps: under load a request may take a while to arrive.
    for (let i = 0; i < 200 && chats() < 1; i++) await sleep(10);
    const long = consume().catch((e: unknown) => e);
    for (let i = 0; i < 200 && chats() < 2; i++) await sleep(10);
    const stopping = harness.gateway.stop({ drainTimeoutMs: 700 });
    await sleep(50);
    const refused = await fetch(`${harness.origin}/health`).then(() => 'answered').catch(() => 'refused');
    await stopping;
    expect(await short).toBe('t0 t1 t2 t3 t4 t5 ');
    const failure = await long;
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toMatch(/stopping/i);
    expect(refused).toBe('refused');
    await sleep(600);
    expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')[1]!.abortedAt).not.toBeNull();
    harness.gateway.flushHistory();
    const rows = (await harness.gateway.control.queryHistory({ limit: 5 })).rows;
    expect(rows.map((r) => r.errorCode).sort()).toEqual([null, 'proxy_stopping'].sort());
  });
});

describe('port in use', () => {
  it('fails to start with a clear error naming the port, and does not hop to another port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-port-'));
    const gateway = await createGateway({ dataDir, port, logger: pino({ level: 'silent' }) });
    const error = await gateway.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('port_in_use');
    expect((error as GatewayError).message).toContain(String(port));
    expect(gateway.status()).toMatchObject({ state: 'error', port: null, error: { code: 'port_in_use' } });
    await gateway.close();
    blocker.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to listen on a non-loopback address', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-host-'));
    await expect(createGateway({ dataDir, host: '0.0.0.0', port: 0, logger: pino({ level: 'silent' }) })).rejects.toThrow(/loopback/);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
