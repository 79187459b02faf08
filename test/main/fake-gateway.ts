/**
 * A fake engine for main-process tests: the Gateway interface with a scriptable start/close,
 * an in-memory store and a ControlApi that behaves like the real one where the shell depends
 * on it (keys are masked in lists, exportConfig reveals secrets only when asked).
 */
import {
  CONTROL_OPERATIONS,
  DEFAULT_SETTINGS,
  type ControlApi,
  type ControlEvent,
  type KeyInfo,
  type ProxyState,
  type ProxyStatus,
  type Settings,
  type SettingsPatch,
} from '../../src-proxy/control/contract.ts';
import { createFrontDoors } from '../../src-proxy/dialects/registry.ts';
import { mergeSettingsPatch as mergeSettings } from '../../src-proxy/domain/settings.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';

export function statusOf(state: ProxyState, overrides: Partial<ProxyStatus> = {}): ProxyStatus {
  const port = overrides.port === undefined ? 11434 : overrides.port;
  return {
    state,
    host: '127.0.0.1',
    port,
    baseUrl: state === 'running' && port !== null ? `http://127.0.0.1:${port}` : null,
    endpoints: createFrontDoors().endpoints(),
    error: null,
    startedAt: state === 'running' ? 1 : null,
    requestsToday: 0,
    errorsToday: 0,
    version: '0.1.0',
    dataDir: '/data',
    configFile: null,
    ...overrides,
  };
}

export interface FakeGatewayOptions {
  /** What start() does: 'ok' runs, 'port_in_use' rejects like a busy port. */
  start?: 'ok' | 'port_in_use';
  /** How long close() takes; Infinity = never resolves. */
  closeMs?: number;
  secret?: string;
}

export function createFakeGateway(options: FakeGatewayOptions = {}) {
  const listeners = new Set<(event: ControlEvent) => void>();
  let settings: Settings = { ...DEFAULT_SETTINGS };
  let status = statusOf('stopped', { port: settings.port });
  const calls: string[] = [];
  const keys: Array<KeyInfo & { secret: string }> = [];
  const emit = (event: ControlEvent) => listeners.forEach((listener) => listener(event));
  const setStatus = (next: ProxyStatus) => {
    status = next;
    emit({ type: 'status', status });
  };
  const masked = ({ secret: _secret, ...info }: KeyInfo & { secret: string }): KeyInfo => info;

  const store = {
    checkpoints: 0,
    settings: {
      get: () => settings,
      update: (patch: SettingsPatch) => (settings = mergeSettings(settings, patch)),
    },
    history: { latest: () => [] },
    providers: { list: () => [] as Array<{ kind: 'ollama' | 'openai'; baseUrl: string }> },
    checkpoint() {
      store.checkpoints += 1;
    },
  };

  const generic = Object.fromEntries(
    Object.keys(CONTROL_OPERATIONS).map((name) => [
      name,
      async () => {
        calls.push(name);
        return name.startsWith('list') ? [] : null;
      },
    ]),
  ) as unknown as ControlApi;

  const control: ControlApi = {
    ...generic,
    getStatus: async () => status,
    getSettings: async () => settings,
    updateSettings: async (patch) => {
      calls.push('updateSettings');
      return store.settings.update(patch);
    },
    addKey: async ({ providerId, secret = 'oauth2-account', label }) => {
      calls.push('addKey');
      const key = { id: keys.length + 1, providerId, label: label ?? 'key', masked: `sk-…${secret.slice(-4)}`, enabled: true, lastError: null, lastUsedAt: null, cooldownUntil: null, createdAt: 1, managedBy: null, type: 'key' as const, proxy: null, secret };
      keys.push(key);
      return masked(key);
    },
    replaceKey: async ({ keyId, secret }) => {
      calls.push('replaceKey');
      const key = keys.find((candidate) => candidate.id === keyId);
      if (!key) throw new GatewayError('invalid_request', 'no such key');
      if (secret !== undefined) key.secret = secret;
      return masked(key);
    },
    deleteKey: async () => void calls.push('deleteKey'),
    exportConfig: async (request) => {
      calls.push('exportConfig');
      return { providers: [{ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', keys: request?.includeSecrets ? keys.map((key) => key.secret) : [] }] };
    },
  };

  const gateway = {
    calls,
    store,
    control,
    logger: undefined as never,
    events: {
      subscribe(listener: (event: ControlEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    emit,
    async start() {
      calls.push('start');
      setStatus(statusOf('starting', { port: settings.port }));
      if (options.start === 'port_in_use') {
        setStatus(statusOf('stopped', { port: settings.port }));
        throw new GatewayError('port_in_use', `Port ${settings.port} is taken`);
      }
      setStatus(statusOf('running', { port: settings.port }));
      return status;
    },
    async stop() {
      calls.push('stop');
      setStatus(statusOf('stopped', { port: settings.port }));
      return status;
    },
    status: () => status,
    async close() {
      calls.push('close');
      const ms = options.closeMs ?? 0;
      if (ms === Infinity) return new Promise<void>(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, ms));
      calls.push('closed');
    },
    flushHistory: () => undefined,
  };
  return gateway;
}

export type FakeGateway = ReturnType<typeof createFakeGateway>;
