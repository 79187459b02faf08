import { describe, expect, it, vi } from 'vitest';
import type { ControlApi, ControlOperationName, ControlRequest, ProxyStatus } from '../../src-proxy/control/contract.ts';
import { CONTROL_OPERATIONS } from '../../src-proxy/control/contract.ts';
import { createControlEvents } from '../../src-proxy/control/events.ts';
import { createControlService } from '../../src-proxy/control/service.ts';
import { exportConfig } from '../../src-proxy/config/export-config.ts';
import { EMPTY_TOTALS } from '../../src-proxy/domain/governance.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { historyRecord, tempStore } from '../store/helpers.ts';
import { createProviderCatalog } from '../../src-proxy/providers/registry.ts';
import { buildDiagnosticsBundle } from '../../src-proxy/diagnostics/build-bundle.ts';
import { makeTestCertificate } from '../fixtures/test-certificate.ts';
import { errorOf } from '../fixtures/gateway-error.ts';

const CANARY = 'sk-CANARY-control-0123456789abcdef';
const CANARY_2 = 'sk-CANARY-replaced-0123456789abcdef';
const HEADER_SECRET = 'Bearer hdr-CANARY-0123456789';

const STATUS: ProxyStatus = {
  state: 'stopped', host: '127.0.0.1', port: null, baseUrl: null, endpoints: [], error: null, startedAt: null,
  requestsToday: 0, errorsToday: 0, version: 'test', dataDir: '/tmp/x', configFile: null,
};

function setup(): { api: ControlApi; store: Store; emitStatus: () => void } {
  const { store } = tempStore();
  const emitStatus = vi.fn();
  const api = createControlService({
    store,
    providers: createProviderCatalog(),
    engine: { status: () => STATUS, start: async () => ({ ...STATUS, state: 'running' }), stop: async () => STATUS },
    upstream: {
      testProvider: async () => ({ ok: true, status: 200, errorCode: null, latencyMs: 5, message: 'ok', models: ['gpt-4o'] }),
      refreshModels: async () => store.models.list(),
    },
    events: { emitStatus },
    checks: { run: async () => ({ ok: true, checks: [], ranAt: 1 }) },
    cache: { stats: async () => ({ entries: 0, bytes: 0, maxBytes: 1 }), clear: async () => 0 },
    governance: { usage: async () => ({ day: '2026-01-01', month: '2026-01', today: { ...EMPTY_TOTALS }, thisMonth: { ...EMPTY_TOTALS }, lifetime: { ...EMPTY_TOTALS }, active: 0 }), pacing: () => [] },
    logs: { read: () => [] },
    diagnostics: { build: () => buildDiagnosticsBundle({ store, version: 'test', status: STATUS, log: [] }) },
  });
  return { api, store, emitStatus };
}

describe('control service', () => {
  it('never returns a key, token-at-rest or header secret in plaintext from any operation', async () => {
    const { api, store } = setup();
    const responses: unknown[] = [];
    const errors: string[] = [];
    const provider = await api.createProvider({ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', headers: { Authorization: HEADER_SECRET } });
    responses.push(provider);
    const key = await api.addKey({ providerId: 'openai', secret: CANARY, label: 'main' });
    responses.push(key);
    store.history.insertBatch([historyRecord()]);

    const certificate = makeTestCertificate({ dns: ['ca.test'], ip: [] });
    const caPem = certificate.cert.toString('utf8');
    certificate.remove();
    // One valid request per operation; the mapped type makes a new operation fail to compile here.
    const requests: { [K in ControlOperationName]: ControlRequest<K> } = {
      getStatus: undefined,
      startProxy: undefined,
      stopProxy: undefined,
      listProviderKinds: undefined,
      listProviders: undefined,
      createProvider: { id: 'second', kind: 'openai', baseUrl: 'https://api.openai.com/v1' },
      updateProvider: { id: 'openai', name: 'OpenAI', headers: provider.headers },
      testProvider: { providerId: 'openai', keyId: key.id },
      addKey: { providerId: 'openai', secret: `${CANARY}-second` },
      replaceKey: { keyId: key.id, secret: CANARY_2 },
      setKeyEnabled: { keyId: key.id, enabled: false },
      listModels: undefined,
      refreshModels: { providerId: 'openai' },
      listAliases: undefined,
      createAlias: { alias: 'coder', targets: [{ provider: 'openai', model: 'gpt-4o' }] },
      updateAlias: { alias: 'coder', exposed: false },
      listClientTokens: undefined,
      createClientToken: { name: 'ide', limits: { rpm: 5 } },
      updateClientToken: { id: 'set below', name: 'vscode', enabled: false },
      rotateClientToken: { id: 'set below' },
      getDashboardClientToken: undefined,
      listClients: undefined,
      providerPacing: undefined,
      getSettings: undefined,
      updateSettings: { recordBodies: true },
      describeCertificates: { pem: caPem },
      queryHistory: { limit: 10 },
      getHistoryEntry: { id: 'missing' },
      listSessions: { limit: 5 },
      getUsage: { from: 0, to: Date.now(), groupBy: 'requested' },
      getPerformance: { from: Date.now() - 1000, to: Date.now(), groupBy: 'requested' },
      listPrices: undefined,
      setPrice: { model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 },
      deletePrice: { model: 'gpt-4o' },
      exportConfig: { includeSecrets: false },
      importConfig: { config: { settings: { recordBodies: false } } },
      getConfigText: undefined,
      setConfigText: { text: '{"providers":[]}', dryRun: true },
      rotateAdminToken: undefined,
      runChecks: undefined,
      revokeClientToken: { id: 'set below' },
      deleteAlias: { alias: 'coder' },
      clearHistory: undefined,
      getCacheStats: undefined,
      clearCache: undefined,
      getLogTail: {},
      buildDiagnostics: undefined,
      rotateMetricsToken: undefined,
      deleteKey: { keyId: key.id },
      deleteProvider: { id: 'openai' },
    };
    for (const name of Object.keys(requests) as ControlOperationName[]) {
      const userToken = store.clientTokens.list().find((token) => token.managedBy === null)?.id ?? 'none';
      if (name === 'revokeClientToken') requests.revokeClientToken = { id: userToken };
      if (name === 'updateClientToken') requests.updateClientToken = { id: userToken, name: 'vscode', enabled: false };
      if (name === 'rotateClientToken') requests.rotateClientToken = { id: userToken };
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
    await store.responses.save({ id: 'resp_keep', owner: 'token:a', previousResponseId: null, createdAt: Date.now(), input: [{ role: 'user', content: 'secret prompt' }], response: { id: 'resp_keep', output: [] } });
    await api.clearHistory();
    expect(await store.responses.isKept('resp_keep')).toBe(false);
  });

  it('keeps the stored header value when the UI sends the masked value back unchanged', async () => {
    const { api, store } = setup();
    const provider = await api.createProvider({ id: 'azure', kind: 'azure-openai', baseUrl: 'https://x.openai.azure.com', headers: { 'api-key': 'real-header-secret-value' } });
    await api.updateProvider({ id: 'azure', baseUrl: 'https://y.openai.azure.com', headers: provider.headers });
    expect(store.providers.get('azure')?.headers['api-key']).toBe('real-header-secret-value');
  });

  it('rejects invalid requests with invalid_request naming the field', async () => {
    const { api } = setup();
    const error = await errorOf(api.createProvider({ id: 'x', kind: 'openai', baseUrl: 'https://user:pw@example.com' }));
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
    expect((await errorOf(api.createAlias({ alias: 'a', targets: [{ provider: 'ghost', model: 'm' }] }))).code).toBe('provider_not_found');
    expect((await errorOf(api.updateAlias({ alias: 'ghost', exposed: false }))).code).toBe('alias_not_found');
    expect((await errorOf(api.updateProvider({ id: 'ghost', name: 'x' }))).code).toBe('provider_not_found');
  });

  it('imports a config, and refuses a bad one with invalid_request naming the path without leaking its keys', async () => {
    const { api, store } = setup();
    const summary = await api.importConfig({
      config: { providers: [{ id: 'or', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', keys: [CANARY] }], models: [{ alias: 'c', targets: ['or/qwen/qwen3-coder'] }] },
    });
    expect(summary).toMatchObject({ providers: { added: ['or'] }, keys: { added: 1 }, aliases: { added: ['c'] } });
    const error = await errorOf(api.importConfig({ config: { providers: [{ id: 'bad', kind: 'openai', baseUrl: 'nope', keys: [CANARY_2] }] } }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('providers[0].baseUrl');
    expect(error.message).not.toContain(CANARY_2);
    expect(store.providers.get('bad')).toBeNull();
    expect(exportConfig(store, { includeSecrets: true }).providers?.[0]?.keys).toEqual([CANARY]);
    expect((await errorOf(api.exportConfig({ includeSecrets: true }))).code).toBe('secrets_not_exported');
    expect(JSON.stringify(await api.exportConfig())).not.toContain(CANARY);
  });

  it('announces status changes after start, stop and settings updates', async () => {
    const { api, emitStatus } = setup();
    expect((await api.startProxy()).state).toBe('running');
    await api.stopProxy();
    await api.updateSettings({ port: 0 });
    expect(emitStatus).toHaveBeenCalledTimes(3);
  });
});

describe('create is not update', () => {
  it('answers 409 already_exists naming the field when creating an id, alias or token name that exists, and keeps the original', async () => {
    const { api, store } = setup();
    await api.createProvider({ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    const clash = await errorOf(api.createProvider({ id: 'openai', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }));
    expect(clash).toMatchObject({ code: 'already_exists', status: 409, param: 'id' });
    expect(store.providers.get('openai')?.kind).toBe('openai');
    await api.createAlias({ alias: 'coder', targets: [{ provider: 'openai', model: 'a' }, { provider: 'openai', model: 'b' }] });
    expect(await errorOf(api.createAlias({ alias: 'coder', targets: [{ provider: 'openai', model: 'c' }] }))).toMatchObject({ code: 'already_exists', param: 'alias' });
    expect(store.aliases.get('coder')?.targets).toHaveLength(2);
    await api.createClientToken({ name: 'ide' });
    expect(await errorOf(api.createClientToken({ name: 'ide' }))).toMatchObject({ code: 'already_exists', param: 'name' });
  });

  it('edits a provider\'s name and base URL in place and renames it, its keys and alias targets following', async () => {
    const { api } = setup();
    await api.createProvider({ id: 'or', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1' });
    const key = await api.addKey({ providerId: 'or', secret: CANARY });
    await api.createAlias({ alias: 'coder', targets: [{ provider: 'or', model: 'qwen' }] });
    const edited = await api.updateProvider({ id: 'or', newId: 'openrouter', name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v2' });
    expect(edited).toMatchObject({ id: 'openrouter', name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v2', keys: [{ id: key.id, providerId: 'openrouter' }] });
    expect((await api.listAliases())[0]?.targets).toEqual([{ provider: 'openrouter', model: 'qwen' }]);
    expect(await errorOf(api.updateProvider({ id: 'openrouter', baseUrl: 'ftp://x' }))).toMatchObject({ code: 'invalid_request', param: 'baseUrl' });
  });

  it('renames an alias and a client token in place', async () => {
    const { api, store } = setup();
    await api.createProvider({ id: 'p', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    await api.createAlias({ alias: 'coder', targets: [{ provider: 'p', model: 'm' }] });
    expect(await api.updateAlias({ alias: 'coder', newAlias: 'code', exposed: false })).toMatchObject({ alias: 'code', exposed: false, targets: [{ provider: 'p', model: 'm' }] });
    const created = await api.createClientToken({ name: 'ide' });
    expect(await api.updateClientToken({ id: created.id, name: 'vscode' })).toMatchObject({ id: created.id, name: 'vscode' });
    expect(store.clientTokens.verify(created.token)?.name).toBe('vscode');
  });
});

describe('import, export and the raw config text', () => {
  it('reports a JSON syntax error and a schema error with line and column, without echoing values', async () => {
    const { api } = setup();
    const syntax = await errorOf(api.importConfig({ text: '{\n  "providers": [\n    { "id": "a", "keys": ["sk-CANARY-x"] }\n    {}\n  ]\n}' }));
    expect(syntax).toMatchObject({ code: 'invalid_request', issues: [{ path: '(root)', line: 4, column: 5 }] });
    const schema = await errorOf(api.setConfigText({ text: '{\n  "providers": [\n    { "id": "or", "kind": "openai",\n      "baseUrl": "nope", "keys": ["sk-CANARY-y"] }\n  ]\n}' }));
    expect(schema.issues).toEqual([expect.objectContaining({ path: 'providers[0].baseUrl', line: 4, column: 18 })]);
    expect(schema.message).toContain('providers[0].baseUrl (line 4, column 18)');
    expect(`${syntax.message}${schema.message}`).not.toContain('CANARY');
  });

  it('refuses ${NAME} over the control API: the engine\'s environment is not the sender\'s', async () => {
    const { api } = setup();
    const error = await errorOf(api.importConfig({ config: { providers: [{ id: 'x', kind: 'openai', baseUrl: 'https://a.example/v1', keys: ['${HOME}'] }] } }));
    expect(error).toMatchObject({ code: 'invalid_request', issues: [expect.objectContaining({ path: 'providers[0].keys[0]' })] });
  });

  it('round-trips the raw text: what getConfigText gives, setConfigText accepts with no changes', async () => {
    const { api } = setup();
    await api.createProvider({ id: 'p', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    await api.addKey({ providerId: 'p', secret: CANARY });
    await api.createAlias({ alias: 'a', targets: [{ provider: 'p', model: 'm' }] });
    const { text, configFile } = await api.getConfigText();
    expect(configFile).toBeNull();
    expect(text).not.toContain(CANARY);
    const changes = await api.setConfigText({ text });
    expect(changes).toMatchObject({ providers: { added: [], changed: [], removed: [] }, aliases: { added: [], changed: [], removed: [] }, keys: { added: 0, removed: 0 }, settings: [], prices: 0 });
    const edited = JSON.parse(text) as { models: unknown[] };
    edited.models = [];
    expect((await api.setConfigText({ text: JSON.stringify(edited), dryRun: true })).aliases.removed).toEqual(['a']);
    expect((await api.listAliases()).map((alias) => alias.alias)).toEqual(['a']);
  });
});

describe('the dashboard\'s tokens', () => {
  it('hands the dashboard the same client token every time, and a new one only after it was revoked', async () => {
    const { api } = setup();
    const first = await api.getDashboardClientToken();
    expect(await api.getDashboardClientToken()).toEqual(first);
    expect((await api.listClientTokens()).filter((token) => token.revokedAt === null)).toEqual([expect.objectContaining({ id: first.id, managedBy: 'dashboard' })]);
    await api.revokeClientToken({ id: first.id });
    const second = await api.getDashboardClientToken();
    expect(second.token).not.toBe(first.token);
    expect((await api.listClientTokens()).filter((token) => token.revokedAt === null)).toHaveLength(1);
  });

  it('rotates the admin token: a new one is stored encrypted and read back', async () => {
    const { api, store } = setup();
    const { readAdminToken } = await import('../../src-proxy/control/admin-token.ts');
    const before = readAdminToken(store);
    expect(readAdminToken(store)).toBe(before);
    const { token } = await api.rotateAdminToken();
    expect(token).not.toBe(before);
    expect(readAdminToken(store)).toBe(token);
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
