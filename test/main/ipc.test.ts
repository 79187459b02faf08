// @vitest-environment node
import type { IpcMain } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTROL_OPERATIONS, type ControlOperationName } from '../../src-proxy/control/contract.ts';
import { CONTROL_CHANNELS, DESKTOP_CHANNELS, type BridgeResult } from '../../src-main/ipc/channels.ts';
import { registerControlHandlers } from '../../src-main/ipc/control-handlers.ts';
import { createDesktopControl } from '../../src-main/ipc/desktop-control.ts';
import { DESKTOP_OPERATIONS, type DesktopApi } from '../../src-main/ipc/desktop-contract.ts';
import { isTrustedSender } from '../../src-main/ipc/sender-check.ts';
import { createProxyController } from '../../src-main/proxy/proxy-controller.ts';
import { ipcMain, resetElectronFake, type FakeFrame } from './fake-electron.ts';
import { createFakeGateway } from './fake-gateway.ts';

const ENTRY = 'file:///opt/Switchboard/resources/app.asar/dist/renderer/index.html';
const CANARY = 'sk-CANARY-6f1d0c2b9e7a4c55a0d3';
const mainFrame: FakeFrame = { url: `${ENTRY}#/providers`, parent: null };

const desktop: DesktopApi = Object.fromEntries(Object.keys(DESKTOP_OPERATIONS).map((name) => [name, vi.fn(async () => null)])) as unknown as DesktopApi;

function setup() {
  const gateway = createFakeGateway();
  const control = createDesktopControl({
    control: gateway.control,
    controller: createProxyController({ gateway }),
    store: gateway.store,
    cipher: { isAvailable: () => true },
    loginItem: { setEnabled: vi.fn() },
  });
  const logger = { warn: vi.fn(), error: vi.fn() };
  registerControlHandlers({ ipcMain: ipcMain as unknown as IpcMain, control, desktop, isTrustedSender: (frame) => isTrustedSender(frame, ENTRY), logger });
  const call = (operation: ControlOperationName, payload?: unknown, frame: FakeFrame | null = mainFrame) =>
    ipcMain.invokeFrom(frame, CONTROL_CHANNELS[operation], payload) as Promise<BridgeResult<unknown>>;
  return { gateway, call, logger };
}

/** One valid request per operation: every channel is exercised by the canary test. */
const VALID: { [K in ControlOperationName]: unknown } = {
  getStatus: undefined, startProxy: undefined, stopProxy: undefined, listProviderKinds: undefined, listProviders: undefined,
  createProvider: { id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' },
  updateProvider: { id: 'openai', name: 'OpenAI' },
  deleteProvider: { id: 'openai' }, testProvider: { providerId: 'openai' },
  addKey: { providerId: 'openai', secret: CANARY }, replaceKey: { keyId: 1, secret: CANARY }, setKeyEnabled: { keyId: 1, enabled: true }, deleteKey: { keyId: 1 },
  listModels: undefined, refreshModels: {}, listAliases: undefined, createAlias: { alias: 'fast', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] },
  updateAlias: { alias: 'fast', newAlias: 'quick' },
  deleteAlias: { alias: 'fast' }, listClientTokens: undefined, createClientToken: { name: 'ide' }, updateClientToken: { id: 't1', name: 'ide-2' }, revokeClientToken: { id: 't1' },
  getDashboardClientToken: undefined,
  rotateClientToken: { id: 't1' }, listClients: undefined, providerPacing: undefined,
  getSettings: undefined, updateSettings: { theme: 'dark' }, describeCertificates: { pem: '-----BEGIN CERTIFICATE-----' }, queryHistory: {}, getHistoryEntry: { id: 'r1' }, listSessions: {}, clearHistory: undefined,
  getUsage: { from: 0, to: 1, groupBy: 'requested' }, getPerformance: { from: 0, to: 1, groupBy: 'client' }, listPrices: undefined, setPrice: { model: 'gpt-4o', inputPerMillion: 1, outputPerMillion: 2 },
  deletePrice: { model: 'gpt-4o' }, importConfig: { config: {} }, exportConfig: {},
  getConfigText: undefined, setConfigText: { text: '{}', dryRun: true }, rotateAdminToken: undefined, runChecks: undefined,
  getCacheStats: undefined, clearCache: undefined, rotateMetricsToken: undefined, getLogTail: { level: 'warn' }, buildDiagnostics: undefined,
};

beforeEach(resetElectronFake);

describe('IPC channels', () => {
  it('has exactly one channel per control operation and per desktop operation', () => {
    expect(Object.keys(CONTROL_CHANNELS).sort()).toEqual(Object.keys(CONTROL_OPERATIONS).sort());
    expect(Object.keys(DESKTOP_CHANNELS).sort()).toEqual(Object.keys(DESKTOP_OPERATIONS).sort());
    setup();
    expect(ipcMain.handlers.size).toBe(Object.keys(CONTROL_OPERATIONS).length + Object.keys(DESKTOP_OPERATIONS).length);
  });
});

describe('IPC sender check', () => {
  it.each<[string, FakeFrame | null]>([
    ['an iframe inside our window', { url: ENTRY, parent: mainFrame }],
    ['another origin in the main frame', { url: 'https://evil.example/', parent: null }],
    ['another file in the main frame', { url: 'file:///tmp/evil.html', parent: null }],
    ['a data: URL', { url: 'data:text/html,<script>1</script>', parent: null }],
    ['a destroyed frame', null],
  ])('refuses %s before the core sees the call', async (_name, frame) => {
    const { call, gateway, logger } = setup();
    const answer = await call('addKey', { providerId: 'openai', secret: CANARY }, frame);
    expect(answer).toEqual({ ok: false, error: { code: 'forbidden_origin', message: expect.any(String) } });
    expect(gateway.calls).not.toContain('addKey');
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain(CANARY);
  });

  it('answers our own main frame', async () => {
    const { call } = setup();
    expect(await call('getStatus')).toMatchObject({ ok: true, value: { state: 'stopped' } });
  });

  it('refuses foreign frames on the desktop channels too', async () => {
    setup();
    const answer = (await ipcMain.invokeFrom({ url: 'https://evil.example', parent: null }, DESKTOP_CHANNELS.openExternal, { url: 'https://x.dev' })) as BridgeResult<unknown>;
    expect(answer.ok).toBe(false);
    expect(desktop.openExternal).not.toHaveBeenCalled();
  });
});

describe('IPC payload validation', () => {
  it.each<[ControlOperationName, unknown]>([
    ['addKey', { providerId: 'openai' }],
    ['addKey', { providerId: 'openai', secret: 'x', extra: true }],
    ['addKey', 'sk-plain-string'],
    ['deleteKey', { keyId: -1 }],
    ['updateSettings', { port: 70000 }],
    ['createProvider', { id: 'Bad Id', kind: 'openai', baseUrl: 'https://x' }],
    ['getStatus', { unexpected: 1 }],
  ])('rejects %s with %j as invalid_request, naming the field', async (operation, payload) => {
    const { call, gateway } = setup();
    const answer = await call(operation, payload);
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error.code).toBe('invalid_request');
      expect(answer.error.issues?.length).toBeGreaterThan(0);
    }
    expect(gateway.calls).not.toContain(operation);
  });
});

describe('keys are write-only across IPC', () => {
  it('no operation ever answers with a plaintext key (canary)', async () => {
    const { call } = setup();
    const answers: unknown[] = [];
    for (const operation of Object.keys(VALID) as ControlOperationName[]) {
      const answer = await call(operation, VALID[operation]);
      expect(answer, operation).toMatchObject({ ok: true });
      answers.push(answer);
    }
    answers.push(await call('exportConfig', { includeSecrets: true }));
    expect(JSON.stringify(answers)).not.toContain(CANARY);
    expect(JSON.stringify(answers)).toContain('sk-…a0d3'); // the masked form is all that comes back
  });

  it('refuses an export with secrets instead of silently dropping them', async () => {
    const { call, gateway } = setup();
    const answer = await call('exportConfig', { includeSecrets: true });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(gateway.calls).not.toContain('exportConfig');
  });

  it('checkpoints the database after a key is deleted or replaced, so the old ciphertext leaves the WAL', async () => {
    const { call, gateway } = setup();
    await call('addKey', { providerId: 'openai', secret: CANARY });
    await call('replaceKey', { keyId: 1, secret: `${CANARY}-2` });
    await call('deleteKey', { keyId: 1 });
    expect(gateway.store.checkpoints).toBe(2);
  });
});

describe('errors cross IPC with their code', () => {
  it('turns a GatewayError into its code and an unexpected error into internal_error without details', async () => {
    const { call, gateway, logger } = setup();
    gateway.control.testProvider = async () => {
      throw new Error(`socket said ${CANARY}`);
    };
    const answer = await call('testProvider', { providerId: 'openai' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(JSON.stringify(answer)).not.toContain(CANARY);
    expect(logger.error).toHaveBeenCalled();
    expect(await call('replaceKey', { keyId: 99, secret: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
