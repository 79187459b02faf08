/**
 * An in-memory ControlApi + event source for the dashboard's tests and screenshot previews.
 * Behaves like the core where the UI can tell (masked keys, tokens shown once, cursor paging,
 * errors as GatewayError), without a database or network.
 */
import type {
  ConfigChanges,
  AliasInfo,
  CacheStats,
  ClientTokenInfo,
  ControlApi,
  ControlEvent,
  ControlEventSource,
  DiscoveredModel,
  HistoryDetail,
  HistoryRow,
  LogEntry,
  Price,
  ProviderInfo,
  ProxyStatus,
  Settings,
  UsageBucket,
} from '../../src-proxy/control/contract.ts';
import { EMPTY_TOTALS, UNGOVERNED, type ClientUsage, type ProviderPacingState } from '../../src-proxy/domain/governance.ts';
import { DEFAULT_SETTINGS, mergeSettingsPatch as mergeSettings } from '../../src-proxy/control/contract.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { levelRank } from '../../src-proxy/domain/log-entry.ts';
import { buildPerformanceReport } from '../../src-proxy/store/performance-report.ts';
import { createFrontDoors } from '../../src-proxy/dialects/registry.ts';
import { createProviderCatalog } from '../../src-proxy/providers/registry.ts';

/** The real registries' declarations, so the dashboard is tested against what the engine serves. */
const FRONT_DOOR_ENDPOINTS = createFrontDoors().endpoints();
const PROVIDER_KINDS = createProviderCatalog().describe();

export interface FakeControl {
  api: ControlApi;
  events: ControlEventSource & { emit(event: ControlEvent): void; listenerCount(): number };
  state: FakeState;
  /** Every call made, in order: [operation, request]. */
  calls: Array<[string, unknown]>;
}

export interface FakeState {
  status: ProxyStatus;
  providers: ProviderInfo[];
  models: DiscoveredModel[];
  aliases: AliasInfo[];
  tokens: ClientTokenInfo[];
  /** Spend per client id ('tokenless' for the Ollama lane); absent = nothing spent. */
  usage: Record<string, ClientUsage>;
  /** What providerPacing answers. */
  pacing: ProviderPacingState[];
  settings: Settings;
  history: HistoryDetail[];
  prices: Price[];
  cacheStats: CacheStats;
  /** The engine's log tail (getLogTail; push more with a `log` event). */
  log: LogEntry[];
}

const DAY = 86_400_000;

function emptyUsage(): ClientUsage {
  const today = new Date().toISOString().slice(0, 10);
  return { day: today, month: today.slice(0, 7), today: { ...EMPTY_TOTALS }, thisMonth: { ...EMPTY_TOTALS }, lifetime: { ...EMPTY_TOTALS }, active: 0 };
}

/** A patch's fields without the ones left undefined (null stays: it clears). */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function mask(secret: string): string {
  return `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}

/** Deterministic pseudo-random numbers so screenshots and tests are stable. */
function random(seed: number) {
  let value = seed;
  return () => {
    value = (value * 1_103_515_245 + 12_345) % 2_147_483_648;
    return value / 2_147_483_648;
  };
}

export function makeHistoryRow(index: number, startedAt: number, rand: () => number = random(index + 1)): HistoryDetail {
  const models = [
    ['gpt-4o', 'openai', 'gpt-4o-2024-11-20'],
    ['claude-sonnet', 'anthropic', 'claude-sonnet-4-5'],
    ['fast', 'groq', 'llama-3.3-70b-versatile'],
    ['qwen', 'ollama', 'qwen2.5-coder:14b'],
  ] as const;
  const clients = ['claude-code', 'copilot', 'aider', 'continue', 'ollama'];
  const [requested, provider, upstream] = models[index % models.length]!;
  // Now and then a tool without a valid client token knocks: refused before routing (401).
  if (index % 23 === 7) return refusedRow(index, startedAt);
  const failed = index % 17 === 5;
  const status = failed ? (index % 2 ? 429 : 502) : 200;
  const input = Math.round(200 + rand() * 4000);
  const output = failed ? null : Math.round(20 + rand() * 900);
  return {
    id: `req_${String(index).padStart(6, '0')}`,
    startedAt,
    durationMs: Math.round(300 + rand() * 6000),
    ttftMs: failed ? null : Math.round(120 + rand() * 900),
    dialect: provider === 'anthropic' ? 'anthropic' : provider === 'ollama' ? 'ollama' : 'openai',
    endpoint: provider === 'anthropic' ? '/v1/messages' : provider === 'ollama' ? '/api/chat' : '/v1/chat/completions',
    client: clients[index % clients.length]!,
    requestedModel: requested,
    provider,
    upstreamModel: upstream,
    attempts: failed
      ? [
          { provider, model: upstream, keyLabel: 'key 1', status, errorCode: status === 429 ? 'upstream_rate_limited' : 'upstream_error', durationMs: 410 },
        ]
      : [{ provider, model: upstream, keyLabel: 'key 1', status: 200, errorCode: null, durationMs: 1200 }],
    status,
    errorCode: failed ? (status === 429 ? 'upstream_rate_limited' : 'upstream_error') : null,
    stream: index % 3 !== 0,
    inputTokens: input,
    outputTokens: output,
    cache: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    estimated: false,
    notes: [],
    // Now and then an agent loops (issue 14): History highlights these rows.
    loop: demoLoop(index),
    errorMessage: failed ? 'The provider returned an error.' : null,
    bodies:
      index % 2 === 0
        ? {
            clientRequest: JSON.stringify({ model: requested, stream: true, messages: [{ role: 'user', content: `Explain request ${index} <img src=x onerror=alert(1)>` }] }),
            upstreamRequest: JSON.stringify({ model: upstream, stream: true, messages: [{ role: 'user', content: `Explain request ${index}` }] }),
            response: failed ? '{"error":{"message":"rate limited"}}' : 'data: {"choices":[{"delta":{"content":"Sure"}}]}\n\ndata: [DONE]',
          }
        : null,
    requestHeaders: { 'content-type': 'application/json', authorization: 'Bearer sb-…redacted', 'user-agent': 'OpenAI/JS 6.0.0' },
    clientAddress: '127.0.0.1',
  };
}

function demoLoop(index: number): HistoryDetail['loop'] {
  if (index % 40 === 3) return { kind: 'text', what: 'I will now check the configuration file again to make sure it is right.', count: 4, action: 'blocked' };
  if (index % 40 === 12) return { kind: 'tool', what: 'read_file {"path":"src/config.ts"}', count: 4, action: 'blocked' };
  return null;
}

function refusedRow(index: number, startedAt: number): HistoryDetail {
  return {
    id: `req_${String(index).padStart(6, '0')}`, startedAt, durationMs: 2, ttftMs: null, dialect: 'openai', endpoint: '/v1/chat/completions',
    client: '(unauthenticated)', requestedModel: null, provider: null, upstreamModel: null, attempts: [], status: 401, errorCode: 'invalid_client_token',
    stream: false, inputTokens: null, outputTokens: null, cache: null, cacheReadTokens: null, cacheWriteTokens: null, estimated: false,
    errorMessage: 'The client token is missing, wrong or revoked.', notes: [], bodies: null, requestHeaders: null, clientAddress: '127.0.0.1',
  };
}

function toRow(detail: HistoryDetail): HistoryRow {
  const { cacheReadTokens: _r, cacheWriteTokens: _w, estimated: _e, errorMessage: _m, bodies: _b, requestHeaders: _h, clientAddress: _a, ...row } = detail;
  return row;
}

function noChanges(dryRun: boolean): ConfigChanges {
  const none = () => ({ added: [], changed: [], removed: [] });
  return { providers: none(), aliases: none(), clients: none(), keys: { added: 0, removed: 0 }, settings: [], prices: 0, createdTokens: [], dryRun };
}

export function createFakeControl(options: { seed?: 'empty' | 'demo'; historyRows?: number; now?: number } = {}): FakeControl {
  const now = options.now ?? Date.now();
  const listeners = new Set<(event: ControlEvent) => void>();
  const calls: Array<[string, unknown]> = [];
  let nextKeyId = 1;
  let nextToken = 1;
  const state: FakeState = {
    status: {
      state: 'running',
      host: '127.0.0.1',
      port: 11434,
      baseUrl: 'http://127.0.0.1:11434',
      endpoints: FRONT_DOOR_ENDPOINTS,
      error: null,
      startedAt: now - 3_600_000,
      requestsToday: 0,
      errorsToday: 0,
      version: '0.1.0',
      dataDir: '/home/user/.local/share/switchboard',
      configFile: null,
    },
    providers: [],
    models: [],
    aliases: [],
    tokens: [],
    usage: {},
    pacing: [],
    settings: { ...DEFAULT_SETTINGS, timeouts: { ...DEFAULT_SETTINGS.timeouts } },
    history: [],
    log: [],
    prices: [],
    cacheStats: { entries: 0, bytes: 0, maxBytes: DEFAULT_SETTINGS.cache.maxMb * 1024 * 1024 },
  };

  const emit = (event: ControlEvent) => {
    for (const listener of listeners) listener(event);
  };

  const api: ControlApi = {
    async getStatus() { return state.status; },
    async startProxy() { state.status = { ...state.status, state: 'running', startedAt: Date.now() }; emit({ type: 'status', status: state.status }); return state.status; },
    async stopProxy() { state.status = { ...state.status, state: 'stopped', startedAt: null }; emit({ type: 'status', status: state.status }); return state.status; },

    async listProviderKinds() { return PROVIDER_KINDS; },
    async listProviders() { return state.providers; },
    async createProvider(input) {
      if (state.providers.some((p) => p.id === input.id)) throw new GatewayError('already_exists', `Provider id "${input.id}" is taken`, { param: 'id' });
      const info: ProviderInfo = {
        id: input.id, kind: input.kind, name: input.name ?? input.id, baseUrl: input.baseUrl, headers: input.headers ?? {},
        enabled: input.enabled ?? true, options: input.options ?? {}, limits: input.limits ?? {}, proxy: input.proxy ?? null, proxyPool: input.proxyPool ?? [], http2: input.http2 ?? false, keys: [], lastError: null,
        createdAt: Date.now(), updatedAt: Date.now(), managedBy: null,
      };
      state.providers = [...state.providers, info];
      return info;
    },
    async updateProvider({ id, newId, ...changes }) {
      const existing = state.providers.find((p) => p.id === id);
      if (!existing) throw new GatewayError('provider_not_found', `Provider "${id}"`, { param: 'id' });
      if (newId !== undefined && newId !== id && state.providers.some((p) => p.id === newId)) throw new GatewayError('already_exists', `Provider id "${newId}" is taken`, { param: 'newId' });
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      const info: ProviderInfo = { ...existing, ...defined, id: newId ?? id, keys: existing.keys.map((k) => ({ ...k, providerId: newId ?? id })), updatedAt: Date.now() };
      state.providers = state.providers.map((p) => (p.id === id ? info : p));
      return info;
    },
    async deleteProvider({ id }) { state.providers = state.providers.filter((p) => p.id !== id); },
    async testProvider({ providerId }) {
      const provider = state.providers.find((p) => p.id === providerId);
      if (!provider) throw new GatewayError('provider_not_found');
      const models = state.models.filter((m) => m.providerId === providerId).map((m) => m.model);
      return provider.keys.length || provider.kind === 'ollama'
        ? { ok: true, status: 200, errorCode: null, latencyMs: 182, message: 'The provider answered.', models }
        : { ok: false, status: 401, errorCode: 'upstream_auth_failed', latencyMs: 95, message: 'upstream_auth_failed: The provider rejected the key.', models: [] };
    },

    async addKey({ providerId, secret = 'oauth2-account', label }) {
      const provider = state.providers.find((p) => p.id === providerId);
      if (!provider) throw new GatewayError('provider_not_found');
      const key = { id: nextKeyId++, providerId, label: label ?? `key ${provider.keys.length + 1}`, masked: mask(secret), enabled: true, lastError: null, lastUsedAt: null, cooldownUntil: null, createdAt: Date.now(), managedBy: null, type: 'key' as const, proxy: null };
      provider.keys = [...provider.keys, key];
      return key;
    },
    async replaceKey({ keyId, secret, oauth2, label }) {
      for (const provider of state.providers) {
        const key = provider.keys.find((k) => k.id === keyId);
        if (key) {
          if (secret !== undefined || oauth2 !== undefined) Object.assign(key, { masked: mask(secret ?? 'oauth2-account'), lastError: null, cooldownUntil: null });
          if (label !== undefined) key.label = label;
          provider.keys = [...provider.keys];
          return key;
        }
      }
      throw new GatewayError('provider_not_found', 'No such key');
    },
    async setKeyEnabled({ keyId, enabled }) {
      for (const provider of state.providers) {
        const key = provider.keys.find((k) => k.id === keyId);
        if (key) { key.enabled = enabled; provider.keys = [...provider.keys]; return key; }
      }
      throw new GatewayError('provider_not_found', 'No such key');
    },
    async deleteKey({ keyId }) { for (const provider of state.providers) provider.keys = provider.keys.filter((k) => k.id !== keyId); },

    async listModels() { return state.models; },
    async refreshModels() { return state.models; },

    async listAliases() { return state.aliases; },
    async createAlias(input) {
      if (state.aliases.some((a) => a.alias === input.alias)) throw new GatewayError('already_exists', `Alias "${input.alias}" exists`, { param: 'alias' });
      const info: AliasInfo = { alias: input.alias, targets: input.targets, rules: input.rules ?? [], exposed: input.exposed ?? true, metadata: input.metadata ?? {}, cache: input.cache ?? null, createdAt: Date.now(), updatedAt: Date.now(), managedBy: null };
      state.aliases = [...state.aliases, info];
      return info;
    },
    async updateAlias({ alias, newAlias, ...changes }) {
      const existing = state.aliases.find((a) => a.alias === alias);
      if (!existing) throw new GatewayError('alias_not_found', `Alias "${alias}"`, { param: 'alias' });
      if (newAlias !== undefined && newAlias !== alias && state.aliases.some((a) => a.alias === newAlias)) throw new GatewayError('already_exists', `Alias "${newAlias}" exists`, { param: 'newAlias' });
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      const info: AliasInfo = { ...existing, ...defined, alias: newAlias ?? alias, updatedAt: Date.now() };
      state.aliases = state.aliases.map((a) => (a.alias === alias ? info : a));
      return info;
    },
    async deleteAlias({ alias }) { state.aliases = state.aliases.filter((a) => a.alias !== alias); },

    async listClientTokens() { return state.tokens; },
    async createClientToken({ name, ...governance }) {
      if (state.tokens.some((t) => t.name === name && t.revokedAt === null)) throw new GatewayError('already_exists', `A client token named "${name}" exists`, { param: 'name' });
      const token = `sb-${String(nextToken).padStart(4, '0')}${'x'.repeat(36)}`;
      const info: ClientTokenInfo = { id: `tok_${nextToken++}`, name, hint: `sb-…${token.slice(-4)}`, createdAt: Date.now(), lastUsedAt: null, revokedAt: null, ...UNGOVERNED, ...definedOnly(governance), managedBy: null };
      state.tokens = [...state.tokens, info];
      return { ...info, token };
    },
    async updateClientToken({ id, name, ...governance }) {
      const existing = state.tokens.find((t) => t.id === id && t.revokedAt === null);
      if (!existing) throw new GatewayError('client_token_not_found', `Client token ${id}`);
      if (name !== undefined && state.tokens.some((t) => t.id !== id && t.name === name && t.revokedAt === null)) throw new GatewayError('already_exists', `A client token named "${name}" exists`, { param: 'name' });
      const info = { ...existing, ...definedOnly({ name, ...governance }) };
      state.tokens = state.tokens.map((t) => (t.id === id ? info : t));
      return info;
    },
    async rotateClientToken({ id }) {
      const existing = state.tokens.find((t) => t.id === id && t.revokedAt === null);
      if (!existing) throw new GatewayError('client_token_not_found', `Client token ${id}`);
      const token = `sb-${String(nextToken++).padStart(4, '0')}${'y'.repeat(36)}`;
      const info = { ...existing, hint: `sb-…${token.slice(-4)}` };
      state.tokens = state.tokens.map((t) => (t.id === id ? info : t));
      return { ...info, token };
    },
    async listClients() {
      // A copy, as a real transport hands over: the page never holds the fake's own objects.
      const usageOf = (key: string): ClientUsage => structuredClone(state.usage[key] ?? emptyUsage());
      return {
        clients: state.tokens.filter((t) => t.revokedAt === null).map((t) => ({ ...t, usage: usageOf(t.id) })),
        lane: { limits: state.settings.ollamaLane.limits, usage: usageOf('tokenless') },
      };
    },
    async providerPacing() {
      return structuredClone(state.pacing);
    },
    async revokeClientToken({ id }) { state.tokens = state.tokens.map((t) => (t.id === id ? { ...t, revokedAt: Date.now() } : t)); },
    async getDashboardClientToken() {
      const token = 'sb-dashboard-fake-token-0000000000000000000';
      if (!state.tokens.some((t) => t.managedBy === 'dashboard' && t.revokedAt === null)) {
        state.tokens = [...state.tokens, { id: 'tok_dashboard', name: 'dashboard', hint: 'sb-…0000', createdAt: Date.now(), lastUsedAt: null, revokedAt: null, ...UNGOVERNED, managedBy: 'dashboard' }];
      }
      return { id: 'tok_dashboard', name: 'dashboard', token };
    },

    async getSettings() { return state.settings; },
    async describeCertificates({ pem }) {
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new GatewayError('invalid_request', 'no certificate found', { param: 'pem' });
      return [{ subject: 'CN=Fake Corp Root CA', issuer: 'CN=Fake Corp Root CA', validFrom: 0, validTo: Date.now() + 86_400_000, expired: false, ca: true, fingerprint256: 'AA:BB' }];
    },
    async updateSettings(patch) {
      state.settings = mergeSettings(state.settings, patch);
      return state.settings;
    },

    async queryHistory(query) {
      const limit = query.limit ?? 100;
      let rows = state.history;
      if (query.status === 'ok') rows = rows.filter((r) => r.status < 400);
      if (query.status === 'error') rows = rows.filter((r) => r.status >= 400);
      if (query.model) rows = rows.filter((r) => r.requestedModel?.includes(query.model!) || r.upstreamModel?.includes(query.model!));
      if (query.provider) rows = rows.filter((r) => r.provider === query.provider);
      if (query.client) rows = rows.filter((r) => r.client.includes(query.client!));
      if (query.from !== undefined) rows = rows.filter((r) => r.startedAt >= query.from!);
      if (query.search) rows = rows.filter((r) => JSON.stringify(r).includes(query.search!));
      const total = rows.length;
      if (query.before) {
        const { startedAt, id } = query.before;
        rows = rows.filter((r) => r.startedAt < startedAt || (r.startedAt === startedAt && r.id < id));
      }
      const page = rows.slice(0, limit).map(toRow);
      const last = page[page.length - 1];
      return { rows: page, next: rows.length > limit && last ? { startedAt: last.startedAt, id: last.id } : null, total };
    },
    async getHistoryEntry({ id }) { return state.history.find((r) => r.id === id) ?? null; },
    async listSessions() { return []; },
    async clearHistory() { state.history = []; },
    async getCacheStats() { return state.cacheStats; },
    async rotateMetricsToken() {
      const token = `sbm-${'m'.repeat(32)}${nextToken++}`;
      state.settings = { ...state.settings, metrics: { ...state.settings.metrics, token: mask(token) } };
      return { token };
    },
    async clearCache() {
      const removed = state.cacheStats.entries;
      state.cacheStats = { ...state.cacheStats, entries: 0, bytes: 0 };
      return { removed };
    },

    async getUsage(query) {
      const bucketSize = query.bucket ?? 'day';
      const buckets = new Map<string, UsageBucket>();
      for (const row of state.history) {
        if (row.startedAt < query.from || row.startedAt > query.to) continue;
        const period = new Date(row.startedAt).toISOString().slice(0, bucketSize === 'day' ? 10 : 13);
        const key = {
          requested: row.requestedModel ?? '',
          upstream: row.provider ? `${row.provider}/${row.upstreamModel}` : '',
          provider: row.provider ?? '',
          client: row.client,
        }[query.groupBy];
        const bucket = buckets.get(`${period}|${key}`) ?? { period, key, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
        bucket.requests += 1;
        bucket.errors += row.status >= 400 ? 1 : 0;
        bucket.inputTokens += row.inputTokens ?? 0;
        bucket.outputTokens += row.outputTokens ?? 0;
        bucket.costUsd = (bucket.costUsd ?? 0) + ((row.inputTokens ?? 0) * 2.5 + (row.outputTokens ?? 0) * 10) / 1e6;
        buckets.set(`${period}|${key}`, bucket);
      }
      const list = [...buckets.values()];
      const sum = (pick: (b: UsageBucket) => number) => list.reduce((total, b) => total + pick(b), 0);
      return {
        groupBy: query.groupBy,
        bucket: bucketSize,
        buckets: list,
        totals: { requests: sum((b) => b.requests), errors: sum((b) => b.errors), inputTokens: sum((b) => b.inputTokens), outputTokens: sum((b) => b.outputTokens), costUsd: list.length ? sum((b) => b.costUsd ?? 0) : null },
      };
    },
    async getPerformance(query) {
      const keyOf = (row: HistoryRow) => ({ requested: row.requestedModel ?? '', upstream: row.provider ? `${row.provider}/${row.upstreamModel}` : '', provider: row.provider ?? '', client: row.client })[query.groupBy];
      const rows = state.history
        .filter((row) => row.startedAt >= query.from && row.startedAt <= query.to)
        .map((row) => ({ key: keyOf(row), duration_ms: row.durationMs, ttft_ms: row.ttftMs, is_error: row.status >= 400 ? 1 : 0, cache: row.cache, upstream_model: row.upstreamModel, input_tokens: row.inputTokens, output_tokens: row.outputTokens }));
      return buildPerformanceReport(query, rows, [{ model: '*', inputPerMillion: 2.5, outputPerMillion: 10 }], false);
    },
    async listPrices() { return state.prices; },
    async setPrice(price) { state.prices = [...state.prices.filter((p) => p.model !== price.model), price]; return state.prices; },
    async deletePrice({ model }) { state.prices = state.prices.filter((p) => p.model !== model); return state.prices; },

    async importConfig(request) { return noChanges(request.dryRun === true); },
    async exportConfig() { return {}; },
    async getConfigText() { return { text: '{}\n', configFile: state.status.configFile }; },
    async setConfigText(request) { return noChanges(request.dryRun === true); },
    async rotateAdminToken() { return { token: 'rotated-admin-token' }; },
    async runChecks() {
      return { ok: true, ranAt: Date.now(), checks: [{ id: 'port', title: 'Port', status: 'pass', detail: `Switchboard listens on http://127.0.0.1:${state.status.port}`, fix: null }] };
    },
    async getLogTail(request) {
      const floor = request?.level ? levelRank(request.level) : 0;
      return state.log.filter((entry) => levelRank(entry.level) >= floor && entry.seq > (request?.afterSeq ?? 0));
    },
    async buildDiagnostics() {
      const archiveBase64 = Buffer.from('fake archive').toString('base64');
      return { fileName: 'switchboard-diagnostics-test.tar.gz', archiveBase64, bytes: 12, files: ['README.txt'] };
    },
  };

  // Record every call (the tests assert on what the UI asked for).
  for (const name of Object.keys(api) as Array<keyof ControlApi>) {
    const original = api[name] as (request?: unknown) => Promise<unknown>;
    (api as Record<string, unknown>)[name] = (request?: unknown) => {
      calls.push([name, request]);
      return original(request);
    };
  }

  if (options.seed === 'demo') seedDemo(state, now, options.historyRows ?? 400);

  return {
    api,
    calls,
    state,
    events: {
      subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },
      emit,
      listenerCount: () => listeners.size,
    },
  };
}

function seedDemo(state: FakeState, now: number, historyRows: number) {
  const key = (id: number, providerId: string, masked: string, extra: Partial<ProviderInfo['keys'][number]> = {}) => ({
    id, providerId, label: `key ${id}`, masked, enabled: true, lastError: null, lastUsedAt: now - 60_000 * id, cooldownUntil: null, createdAt: now - 30 * DAY, managedBy: null, type: 'key' as const, proxy: null, ...extra,
  }) satisfies ProviderInfo['keys'][number];
  const provider = (id: string, kind: ProviderInfo['kind'], name: string, baseUrl: string, keys: ProviderInfo['keys']): ProviderInfo => ({
    id, kind, name, baseUrl, headers: {}, enabled: true, options: {}, limits: {}, proxy: null, proxyPool: [], http2: false, keys, lastError: null, createdAt: now - 30 * DAY, updatedAt: now - DAY, managedBy: null,
  });
  state.providers = [
    provider('openai', 'openai', 'OpenAI', 'https://api.openai.com/v1', [key(1, 'openai', 'sk-…9f3a'), key(2, 'openai', 'sk-…71bd', { cooldownUntil: now + 40_000, lastError: '429 rate limited' })]),
    provider('anthropic', 'anthropic', 'Anthropic', 'https://api.anthropic.com', [key(3, 'anthropic', 'sk-ant-…c02e')]),
    provider('ollama', 'ollama', 'Ollama (local)', 'http://127.0.0.1:11435', []),
  ];
  const discovered = (providerId: string, model: string, contextWindow?: number): DiscoveredModel => ({
    providerId, model, address: `${providerId}/${model}`, metadata: contextWindow ? { contextWindow } : {}, discoveredAt: now - DAY,
  });
  state.models = [
    discovered('openai', 'gpt-4o-2024-11-20', 128_000), discovered('openai', 'gpt-4o-mini', 128_000), discovered('openai', 'o3-mini', 200_000),
    discovered('anthropic', 'claude-sonnet-4-5', 200_000), discovered('anthropic', 'claude-haiku-4-5', 200_000),
    discovered('ollama', 'qwen2.5-coder:14b', 32_768), discovered('ollama', 'llama3.2:3b', 131_072),
  ];
  const alias = (name: string, targets: AliasInfo['targets'], extra: Partial<AliasInfo> = {}): AliasInfo => ({
    alias: name, targets, rules: [], exposed: true, metadata: {}, cache: null, createdAt: now - 20 * DAY, updatedAt: now - DAY, managedBy: null, ...extra,
  });
  state.aliases = [
    alias('gpt-4o', [{ provider: 'openai', model: 'gpt-4o-2024-11-20' }, { provider: 'anthropic', model: 'claude-sonnet-4-5' }], { metadata: { contextWindow: 128_000, capabilities: ['completion', 'tools', 'vision'] } }),
    alias('claude-*', [{ provider: 'anthropic', model: 'claude-sonnet-4-5', overrides: { maxTokens: 8192 } }]),
    alias('qwen', [{ provider: 'ollama', model: 'qwen2.5-coder:14b' }], { exposed: false }),
  ];
  state.tokens = [
    { id: 'tok_a', name: 'claude-code', hint: 'sb-…4f2c', createdAt: now - 10 * DAY, lastUsedAt: now - 120_000, revokedAt: null, managedBy: null, ...UNGOVERNED, limits: { rpm: 60, concurrency: 4, dailyBudgetUsd: 10, monthlyBudgetUsd: 150 } },
    { id: 'tok_b', name: 'aider', hint: 'sb-…9a01', createdAt: now - 5 * DAY, lastUsedAt: now - 3 * DAY, revokedAt: null, managedBy: null, ...UNGOVERNED, models: ['gpt-4o', 'claude-*'] },
  ];
  const totals = (requests: number, tokens: number, costUsd: number, unpricedRequests = 0) => ({ requests, inputTokens: Math.round(tokens * 0.8), outputTokens: Math.round(tokens * 0.2), costUsd, unpricedRequests });
  const usage = (today: ReturnType<typeof totals>, month: ReturnType<typeof totals>, lifetime: ReturnType<typeof totals>): ClientUsage => ({ ...emptyUsage(), today, thisMonth: month, lifetime });
  state.usage = {
    tok_a: usage(totals(212, 1_480_000, 4.62), totals(3_120, 21_900_000, 61.3), totals(5_480, 38_000_000, 104.1)),
    tok_b: usage(totals(14, 96_000, 0.31, 3), totals(420, 2_700_000, 8.9, 41), totals(420, 2_700_000, 8.9, 41)),
    tokenless: usage(totals(57, 310_000, 0, 57), totals(1_204, 6_400_000, 0, 1_204), totals(1_204, 6_400_000, 0, 1_204)),
  };
  state.prices = [
    { model: 'gpt-4o*', inputPerMillion: 2.5, outputPerMillion: 10 },
    { model: 'claude-sonnet-4-5', inputPerMillion: 3, outputPerMillion: 15 },
  ];
  // Spread over two weeks, denser towards today, so the usage charts have a shape.
  state.history = Array.from({ length: historyRows }, (_, i) => makeHistoryRow(i, now - 30_000 - Math.round(14 * DAY * (i / historyRows) ** 1.4)));
  const today = state.history.filter((row) => now - row.startedAt < DAY);
  state.status = { ...state.status, requestsToday: today.length, errorsToday: today.filter((row) => row.status >= 400).length };
}
