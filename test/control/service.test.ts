import { describe, expect, it, vi } from 'vitest';
import type { ControlApi, ControlOperationName, ControlRequest, ProxyStatus } from '../../src-proxy/control/contract.ts';
import { CONTROL_OPERATIONS } from '../../src-proxy/control/contract.ts';
import { createControlEvents } from '../../src-proxy/control/events.ts';
import { createControlService } from '../../src-proxy/control/service.ts';
import { exportConfig } from '../../src-proxy/config/export-config.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { historyRecord, tempStore } from '../store/helpers.ts';
import { createProviderCatalog } from '../../src-proxy/providers/registry.ts';

const CANARY = 'sk-CANARY-control-0123456789abcdef';
const CANARY_2 = 'sk-CANARY-replaced-0123456789abcdef';
const HEADER_SECRET = 'Bearer hdr-CANARY-0123456789';

const STATUS: ProxyStatus = {
  state: 'stopped', host: '127.0.0.1', port: null, baseUrl: null, endpoints: [], error: null, startedAt: null,
  requestsToday: 0, errorsToday: 0, version: 'test', dataDir: '/tmp/x',
};

function setup(): { api: ControlApi; store: Store; emitStatus: () => void } {
  const { store } = tempStore();
  const emitStatus = vi.fn();
  const api = createControlService({
    store,
    providers: createProviderCatalog(),
    engine: { status: () => STATUS, start: async () => ({ ...STATUS, state: 'running' }), stop: async () => STATUS },
    upstream: {
      testProvider: async () => ({ ok: true, status: 200, latencyMs: 5, message: 'ok', models: ['gpt-4o'] }),
      refreshModels: async () => store.models.list(),
    },
    events: { emitStatus },
  });
  return { api, store, emitStatus };
}

async function errorOf(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('control service', () => {
  it('never returns a key, token-at-rest or header secret in plaintext from any operation', async () => {
    const { api, store } = setup();
    const responses: unknown[] = [];
    const errors: string[] = [];
    const provider = await api.upsertProvider({ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', headers: { Authorization: HEADER_SECRET } });
    responses.push(provider);
    const key = await api.addKey({ providerId: 'openai', secret: CANARY, label: 'main' });
    responses.push(key);
    store.history.insertBatch([historyRecord()]);

    // One valid request per operation; the mapped type makes a new operation fail to compile here.
    const requests: { [K in ControlOperationName]: ControlRequest<K> } = {
      getStatus: undefined,
      startProxy: undefined,
      stopProxy: undefined,
      listProviderKinds: undefined,
      listProviders: undefined,
      upsertProvider: { id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', headers: provider.headers },
      testProvider: { providerId: 'openai', keyId: key.id },
      addKey: { providerId: 'openai', secret: `${CANARY}-second` },
      replaceKey: { keyId: key.id, secret: CANARY_2 },
      setKeyEnabled: { keyId: key.id, enabled: false },
      listModels: undefined,
      refreshModels: { providerId: 'openai' },
      listAliases: undefined,
      upsertAlias: { alias: 'coder', targets: [{ provider: 'openai', model: 'gpt-4o' }] },
      listClientTokens: undefined,
      createClientToken: { name: 'ide' },
      getSettings: undefined,
      updateSettings: { recordBodies: true },
      queryHistory: { limit: 10 },
      getHistoryEntry: { id: 'missing' },
      getUsage: { from: 0, to: Date.now(), groupBy: 'model' },
      listPrices: undefined,
      setPrice: { model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 },
      deletePrice: { model: 'gpt-4o' },
      exportConfig: { includeSecrets: false },
      importConfig: { config: { settings: { recordBodies: false } } },
      revokeClientToken: { id: 'set below' },
      deleteAlias: { alias: 'coder' },
      clearHistory: undefined,
      deleteKey: { keyId: key.id },
      deleteProvider: { id: 'openai' },
    };
    for (const name of Object.keys(requests) as ControlOperationName[]) {
      if (name === 'revokeClientToken') requests.revokeClientToken = { id: store.clientTokens.list()[0]?.id ?? 'none' };
      const call = api[name] as (request?: unknown) => Promise<unknown>;
      try {
        const response = await call(requests[name]);
        responses.push(response ?? null);
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
    expect(errors).toEqual([]);
    expect(Object.keys(requests).sort()).toEqual(Object.keys(CONTROL_OPERATIONS).sort());

    const serialized = JSON.stringify(responses);
    for (const secret of [CANARY, CANARY_2, 'hdr-CANARY']) expect(serialized).not.toContain(secret);
    expect(key.masked).toBe('sk-…cdef');
    expect(provider.headers.Authorization).toBe('Bea…6789');
  });

  it('clears kept Responses conversations together with the history', async () => {
    const { api, store } = setup();
    store.responses.save({ id: 'resp_keep', owner: 'token:a', previousResponseId: null, createdAt: Date.now(), input: [{ role: 'user', content: 'secret prompt' }], response: { id: 'resp_keep', output: [] } });
    await api.clearHistory();
    expect(store.responses.isKept('resp_keep')).toBe(false);
  });

  it('keeps the stored header value when the UI sends the masked value back unchanged', async () => {
    const { api, store } = setup();
    const provider = await api.upsertProvider({ id: 'azure', kind: 'azure-openai', baseUrl: 'https://x.openai.azure.com', headers: { 'api-key': 'real-header-secret-value' } });
    await api.upsertProvider({ id: 'azure', kind: 'azure-openai', baseUrl: 'https://y.openai.azure.com', headers: provider.headers });
    expect(store.providers.get('azure')?.headers['api-key']).toBe('real-header-secret-value');
  });

  it('rejects invalid requests with invalid_request naming the field', async () => {
    const { api } = setup();
    const error = await errorOf(api.upsertProvider({ id: 'x', kind: 'openai', baseUrl: 'https://user:pw@example.com' }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('baseUrl');
    const payloadError = await errorOf(api.setPrice({ model: 'x', inputPerMillion: -1, outputPerMillion: 0 }));
    expect(payloadError.message).toContain('inputPerMillion');
  });

  it('answers unknown ids with the matching not-found code', async () => {
    const { api } = setup();
    expect((await errorOf(api.addKey({ providerId: 'ghost', secret: CANARY }))).code).toBe('provider_not_found');
    expect((await errorOf(api.deleteKey({ keyId: 99 }))).code).toBe('key_not_found');
    expect((await errorOf(api.deleteAlias({ alias: 'ghost' }))).code).toBe('alias_not_found');
    expect((await errorOf(api.revokeClientToken({ id: 'ghost' }))).code).toBe('client_token_not_found');
    expect((await errorOf(api.upsertAlias({ alias: 'a', targets: [{ provider: 'ghost', model: 'm' }] }))).code).toBe('provider_not_found');
  });

  it('imports a config, and refuses a bad one with invalid_request naming the path without leaking its keys', async () => {
    const { api, store } = setup();
    const summary = await api.importConfig({
      config: { providers: [{ id: 'or', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', keys: [CANARY] }], models: [{ alias: 'c', targets: ['or/qwen/qwen3-coder'] }] },
    });
    expect(summary).toMatchObject({ providers: 1, keys: 1, aliases: 1 });
    const error = await errorOf(api.importConfig({ config: { providers: [{ id: 'bad', kind: 'openai', baseUrl: 'nope', keys: [CANARY_2] }] } }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('providers[0].baseUrl');
    expect(error.message).not.toContain(CANARY_2);
    expect(store.providers.get('bad')).toBeNull();
    expect(exportConfig(store, { includeSecrets: true }).providers?.[0]?.keys).toEqual([CANARY]);
    expect((await errorOf(api.exportConfig({ includeSecrets: true }))).code).toBe('secrets_not_exported');
  });

  it('announces status changes after start, stop and settings updates', async () => {
    const { api, emitStatus } = setup();
    expect((await api.startProxy()).state).toBe('running');
    await api.stopProxy();
    await api.updateSettings({ port: 0 });
    expect(emitStatus).toHaveBeenCalledTimes(3);
  });
});

describe('control events', () => {
  it('delivers events to subscribers until they unsubscribe, and reports a throwing listener after notifying the rest', () => {
    const events = createControlEvents();
    const seen: string[] = [];
    const unsubscribe = events.subscribe((event) => seen.push(`a:${event.type}`));
    events.subscribe(() => {
      throw new Error('listener broke');
    });
    events.subscribe((event) => seen.push(`c:${event.type}`));
    expect(() => events.emit({ type: 'history', rows: [] })).toThrow('listener broke');
    expect(seen).toEqual(['a:history', 'c:history']);
    unsubscribe();
    expect(() => events.emit({ type: 'status', status: STATUS })).toThrow();
    expect(seen).toEqual(['a:history', 'c:history', 'c:status']);
  });
});
