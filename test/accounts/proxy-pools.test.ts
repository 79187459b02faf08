/**
 * Proxy pools end to end: `settings.proxies` named by a provider's `proxyPool`, used round-robin
 * (counted at the proxies themselves: the request lines each tunnel carried), a proxy that refuses
 * connections rested like a key while the next one answers, every proxy resting → a clear
 * proxy_unreachable, and the proxies' passwords never in history, logs, errors, control answers,
 * exports or the data folder's bytes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import OpenAI from 'openai';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { refusingPort, startHttpConnectProxy, startSocks5Proxy, type FakeProxy } from '../fixtures/fake-proxies.ts';
import { startGateway } from '../fixtures/gateway-harness.ts';

const PASSWORD = 'p00l-secret-pass';
const credentials = { user: 'carol', password: PASSWORD };

describe('proxy pools', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function started<T extends FakeProxy>(proxy: Promise<T>): Promise<T> {
    const ready = await proxy;
    cleanups.push(() => ready.close());
    return ready;
  }

  async function setup(proxies: Array<{ id: string; url: string; enabled?: boolean }>, pool: string[]) {
    const upstream = await startFakeOpenAi();
    let logs = '';
    const logger = pino({ level: 'debug' }, new Writable({ write(chunk, _encoding, done) { logs += String(chunk); done(); } }));
    const harness = await startGateway({
      logger,
      settings: { proxies: proxies.map((entry) => ({ enabled: true, ...entry })) },
      providers: [{ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl, proxyPool: pool, keys: ['sk-pooled-key'] }],
      aliases: [{ alias: 'smart', targets: [{ provider: 'cloud', model: 'fake-large' }] }],
    });
    cleanups.push(() => upstream.close(), () => harness.close());
    await harness.gateway.whenIdle();
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const rows = async (limit: number) => {
      harness.gateway.flushHistory();
      return (await harness.gateway.control.queryHistory({ limit })).rows.reverse();
    };
    return { upstream, harness, client, rows, logs: () => logs };
  }

  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });
  const chats = (proxy: FakeProxy) => proxy.tunnels.flatMap((tunnel) => tunnel.requestLines).filter((line) => line === 'POST /v1/chat/completions').length;

  it('uses the pool round-robin: six requests, two through each proxy, counted at the proxies', async () => {
    const a = await started(startHttpConnectProxy());
    const b = await started(startSocks5Proxy(credentials));
    const c = await started(startHttpConnectProxy(credentials));
    const { client, rows } = await setup([{ id: 'a', url: a.url }, { id: 'b', url: b.url }, { id: 'c', url: c.url }], ['a', 'b', 'c']);
    for (let i = 0; i < 6; i++) expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
    expect([chats(a), chats(b), chats(c)]).toEqual([2, 2, 2]);
    // History names the proxy of each attempt by scheme, host and port: the rotation, in order.
    const via = (await rows(6)).map((row) => row.attempts.at(-1)!.proxy);
    const names = [`http://127.0.0.1:${a.port}`, `socks5://127.0.0.1:${b.port}`, `http://127.0.0.1:${c.port}`];
    expect(new Set(via)).toEqual(new Set(names));
    for (let i = 3; i < 6; i++) expect(via[i]).toBe(via[i - 3]);
  });

  it('rests a proxy that refuses connections and goes through the next one in the same request', async () => {
    const port = await refusingPort();
    const good = await started(startHttpConnectProxy(credentials));
    const dead = `http://dave:${PASSWORD}@127.0.0.1:${port}`;
    const { client, rows, harness } = await setup([{ id: 'dead', url: dead }, { id: 'good', url: good.url }], ['dead', 'good']);
    for (let i = 0; i < 4; i++) expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
    expect(chats(good)).toBe(4);
    const attempts = (await rows(4)).map((row) => row.attempts.map((attempt) => [attempt.proxy, attempt.errorCode]));
    // The dead proxy's turn came once (discovery's calls rotate the pool too): it failed, rested, and
    // the same request went on through the good one; it was never tried again.
    const failures = attempts.filter((list) => list.some(([, code]) => code === 'proxy_unreachable'));
    expect(failures).toEqual([[[`http://127.0.0.1:${port}`, 'proxy_unreachable'], [`http://127.0.0.1:${good.port}`, null]]]);
    expect(attempts.map((list) => list.at(-1))).toEqual(Array(4).fill([`http://127.0.0.1:${good.port}`, null]));
    // The Test names the proxy it went through: the good one, the dead one resting.
    const tested = await harness.gateway.control.testProvider({ providerId: 'cloud' });
    expect(tested).toMatchObject({ ok: true, proxy: `http://127.0.0.1:${good.port}` });
    expect(JSON.stringify([attempts, tested])).not.toContain(PASSWORD);
  });

  it('fails with proxy_unreachable naming the pool when every proxy rests, without a password anywhere', async () => {
    const one = await refusingPort();
    const two = await refusingPort();
    const { client, rows, harness, logs } = await setup(
      [{ id: 'one', url: `http://erin:${PASSWORD}@127.0.0.1:${one}` }, { id: 'two', url: `socks5://erin:${PASSWORD}@127.0.0.1:${two}` }],
      ['one', 'two'],
    );
    const first = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(first).toBeInstanceOf(OpenAI.APIError);
    expect(JSON.stringify(first.error)).toContain('proxy_unreachable');
    const second = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(second.message).toMatch(/Every proxy of the pool of "cloud" failed recently and rests; the first is tried again in \d+ s/);
    const tested = await harness.gateway.control.testProvider({ providerId: 'cloud' });
    expect(tested).toMatchObject({ ok: false, errorCode: 'proxy_unreachable' });
    const everything = JSON.stringify([first.error, first.message, second.error, await rows(5), tested, await harness.gateway.control.listProviders(), await harness.gateway.control.getSettings({})]);
    expect(everything).not.toContain(PASSWORD);
    expect(logs()).not.toContain(PASSWORD);
  });

  it('keeps proxy passwords sealed at rest, masked in the control API and out of exports without secrets', async () => {
    const secured = await started(startHttpConnectProxy(credentials));
    const { client, harness, logs } = await setup([{ id: 'office', url: secured.url }], ['office']);
    const settings = await harness.gateway.control.getSettings({});
    expect(settings.proxies).toEqual([{ id: 'office', url: `http://carol:•••@127.0.0.1:${secured.port}`, enabled: true }]);
    // Saving the form back with the masked URL keeps the stored password: requests still authenticate.
    await harness.gateway.control.updateSettings({ proxies: settings.proxies });
    await ask(client);
    expect(secured.tunnels.at(-1)).toMatchObject({ accepted: true });
    const exported = JSON.stringify(await harness.gateway.control.exportConfig({}));
    expect(exported).toContain(`http://carol@127.0.0.1:${secured.port}`);
    expect(exported).not.toContain(PASSWORD);
    // Re-importing that export keeps the stored password.
    await harness.gateway.control.importConfig({ text: exported });
    await ask(client);
    expect(secured.tunnels.at(-1)).toMatchObject({ accepted: true });
    await harness.gateway.close();
    const bytes = Buffer.concat(readdirSync(harness.dataDir).filter((name) => existsSync(join(harness.dataDir, name)) && !name.endsWith('.log')).map((name) => readFileSync(join(harness.dataDir, name))));
    expect(bytes.includes(PASSWORD)).toBe(false);
    expect(logs()).not.toContain(PASSWORD);
  });

  it('refuses a pool naming an unknown proxy, and removing a proxy a pool still names', async () => {
    const through = await started(startHttpConnectProxy());
    const { harness } = await setup([{ id: 'office', url: through.url }], ['office']);
    await expect(harness.gateway.control.createProvider({ id: 'other', kind: 'openai', baseUrl: 'https://api.example.com/v1', proxyPool: ['nowhere'] })).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'proxyPool',
      message: expect.stringContaining('"nowhere"'),
    });
    await expect(harness.gateway.control.updateSettings({ proxies: [] })).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('provider "cloud" names proxy "office"') });
    await expect(harness.gateway.control.updateSettings({ proxies: [{ id: 'x', url: 'http://h:1', enabled: true }, { id: 'x', url: 'http://h:2', enabled: true }] })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
