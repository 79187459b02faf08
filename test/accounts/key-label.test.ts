/**
 * A key's label is renamed in place through the control API: the secret, its own proxy (with its
 * password), its state and its place in the pool stay; the next request's history names the new
 * label. A refused edit changes nothing, not even the label sent with it.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startHttpConnectProxy } from '../fixtures/fake-proxies.ts';
import { startGateway } from '../fixtures/gateway-harness.ts';
import { errorOf } from '../fixtures/gateway-error.ts';

const PASSWORD = 'label-proxy-pass';

describe("a key's label", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('is renamed alone: the same secret goes out through the same proxy, and History names the new label', async () => {
    const upstream = await startFakeOpenAi();
    const through = await startHttpConnectProxy({ user: 'alice', password: PASSWORD });
    const harness = await startGateway({
      providers: [{ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl, keys: [{ secret: 'sk-label-key-0001', label: 'old name', proxy: through.url }] }],
    });
    cleanups.push(() => upstream.close(), () => through.close(), () => harness.close());
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const ask = () => client.chat.completions.create({ model: 'cloud/fake-large', messages: [{ role: 'user', content: 'hi' }] });

    const before = (await harness.gateway.control.listProviders())[0]!.keys[0]!;
    const renamed = await harness.gateway.control.replaceKey({ keyId: before.id, label: '  team laptop ' });
    expect(renamed).toMatchObject({ id: before.id, label: 'team laptop', masked: before.masked, proxy: before.proxy, enabled: true });
    expect((await harness.gateway.control.listProviders())[0]!.keys).toEqual([{ ...before, label: 'team laptop' }]);

    expect((await ask()).choices[0]!.message.content).toBe('Hello from fake');
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-label-key-0001');
    // Through its own proxy, with the stored password (a mask would have been refused with 407).
    expect(through.tunnels.length).toBeGreaterThan(0);
    expect(through.tunnels.every((tunnel) => tunnel.accepted)).toBe(true);
    harness.gateway.flushHistory();
    const row = (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
    expect(row.attempts.map((attempt) => attempt.keyLabel)).toEqual(['team laptop']);
  });

  it('refuses an empty label and nothing to change; a refused secret leaves the label as it was', async () => {
    const upstream = await startFakeOpenAi();
    const harness = await startGateway({ providers: [{ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl, keys: [{ secret: 'sk-label-key-0002', label: 'main' }] }] });
    cleanups.push(() => upstream.close(), () => harness.close());
    const key = (await harness.gateway.control.listProviders())[0]!.keys[0]!;

    const empty = await errorOf(harness.gateway.control.replaceKey({ keyId: key.id, label: '   ' }));
    expect(empty.code).toBe('invalid_request');
    expect(empty.message).toMatch(/label/);
    const nothing = await errorOf(harness.gateway.control.replaceKey({ keyId: key.id }));
    expect(nothing.message).toMatch(/nothing to change/);
    const badSecret = await errorOf(harness.gateway.control.replaceKey({ keyId: key.id, label: 'renamed', secret: 'sk-x\ny' }));
    expect(badSecret.message).toMatch(/line break/);
    const missing = await errorOf(harness.gateway.control.replaceKey({ keyId: 9999, label: 'ghost' }));
    expect(missing.code).toBe('key_not_found');

    expect((await harness.gateway.control.listProviders())[0]!.keys).toEqual([key]);
  });
});
