/**
 * providers[].http2 as a setting: off unless asked for, kept by the store, changed through the
 * control API, written by config export and read by config import (a bad value is a clear 400).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('the per-provider HTTP/2 setting', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    while (harnesses.length) await harnesses.pop()!.close();
  });
  async function gateway(...args: Parameters<typeof startGateway>): Promise<Harness> {
    const harness = await startGateway(...args);
    harnesses.push(harness);
    return harness;
  }

  it('is off by default, set and cleared through the control API, and round-trips through config export and import', async () => {
    const first = await gateway({ providers: [{ id: 'plain', kind: 'openai', baseUrl: 'https://api.example.test/v1' }] });
    const control = first.gateway.control;
    expect((await control.listProviders())[0]!.http2).toBe(false);
    expect((await control.updateProvider({ id: 'plain', http2: true })).http2).toBe(true);
    await control.createProvider({ id: 'multiplexed', kind: 'anthropic', baseUrl: 'https://api.example.test', http2: true });
    const exported = await control.exportConfig();
    expect(exported.providers!.map((provider) => [provider.id, provider.http2])).toEqual([['plain', true], ['multiplexed', true]]);
    expect((await control.updateProvider({ id: 'plain', http2: false })).http2).toBe(false);
    // Left out of the export when off (the default), like other defaults.
    expect((await control.exportConfig()).providers!.find((provider) => provider.id === 'plain')).not.toHaveProperty('http2');

    const second = await gateway();
    await second.gateway.control.importConfig({ config: exported });
    expect(Object.fromEntries((await second.gateway.control.listProviders()).map((provider) => [provider.id, provider.http2]))).toEqual({ plain: true, multiplexed: true });
  });

  it('refuses a value that is not true or false with a 400 naming the field', async () => {
    const harness = await gateway();
    const failure = await harness.gateway.control.importConfig({ config: { providers: [{ id: 'x', kind: 'openai', baseUrl: 'https://api.example.test/v1', http2: 'auto' }] } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'invalid_request' });
    expect(JSON.stringify((failure as { issues?: unknown }).issues ?? (failure as Error).message)).toMatch(/http2/);
  });
});
