import { applyConfig, type ApplyMode } from '../config/apply-config.ts';
import { checkBaseUrl } from '../config/base-url.ts';
import { ConfigError, describeIssueLocation } from '../config/config-error.ts';
import { exportConfig } from '../config/export-config.ts';
import { parseConfigText } from '../config/load-config.ts';
import { expandEnv } from '../config/env-expansion.ts';
import { parseConfig } from '../config/schema.ts';
import { GatewayError } from '../errors/codes.ts';
import { randomBytes } from 'node:crypto';
import { maskSecret } from '../store/mask.ts';
import { costOf } from '../store/prices-repository.ts';
import type { Price } from '../domain/usage.ts';
import type { HistoryRow } from '../domain/history.ts';
import type { Settings } from '../domain/settings.ts';
import type { ProviderRecord } from '../domain/provider.ts';
import type { ClientUsage, ProviderPacingState } from '../domain/governance.ts';
import { TOKENLESS_CLIENT } from '../http/client-identity.ts';
import type { ProviderCatalog } from '../providers/types.ts';
import type { Store } from '../store/types.ts';
import { rotateAdminToken } from './admin-token.ts';
import {
  CONTROL_OPERATIONS,
  type AliasTarget,
  type CheckReport,
  type ConfigChanges,
  type ControlApi,
  type ControlOperationName,
  type DiscoveredModel,
  type ProviderInfo,
  type ProviderTestResult,
  type ProxyStatus,
  type SwitchboardConfig,
} from './contract.ts';
import { parseOrThrow } from '../domain/validation.ts';
import { dashboardClientToken } from './dashboard-client-token.ts';
import type { CacheStats } from '../domain/response-cache.ts';
import type { LogEntry, LogTailQuery } from '../domain/log-entry.ts';
import type { DiagnosticsArchive } from '../domain/diagnostics.ts';
import { describeMissingPoolProxies, maskProxyUrl } from '../domain/proxy-url.ts';
import { maskedSettings, unmaskSettingsPatch } from './settings-secrets.ts';
import { keyViews } from './key-view.ts';
import { editedAccount } from './account-edit.ts';
import { describePemCertificates } from '../security/pem-certificates.ts';
import type { CertificateSummary } from '../domain/certificate.ts';
import { decodeKeyMaterial, encodeKeyMaterial, materialFromRequest, withProxy } from '../domain/provider-key.ts';
import type { z } from 'zod';

export interface ControlServiceDeps {
  store: Store;
  /** The provider kinds this gateway serves: providers are checked against them. */
  providers: Pick<ProviderCatalog, 'check' | 'describe'>;
  engine: { status(): ProxyStatus; start(): Promise<ProxyStatus>; stop(): Promise<ProxyStatus> };
  upstream: {
    testProvider(providerId: string, keyId?: number): Promise<ProviderTestResult>;
    refreshModels(providerId?: string): Promise<DiscoveredModel[]>;
    /** A provider was added or changed, or got a key: discover its models (in the background). */
    providerChanged?(providerId: string): void;
    /** A key's secret or switch changed: its rest after earlier failures no longer applies. */
    keyChanged?(keyId: number): void;
  };
  events: { emitStatus?(): void };
  /** `switchboard doctor`'s checks (Overview → Run checks). */
  checks: { run(): Promise<CheckReport> };
  /** The engine's log tail and the diagnostics bundle built from it. */
  logs: { read(query: LogTailQuery): LogEntry[] };
  diagnostics: { build(): Promise<DiagnosticsArchive> };
  /** The response cache's store (its size and the clear button). */
  cache: { stats(): Promise<CacheStats>; clear(): Promise<number> };
  /** Spend and counts per client key (`token:<id>`, `tokenless`). */
  governance: { usage(key: string): Promise<ClientUsage>; pacing(): ProviderPacingState[] };
  now?: () => number;
}

/** A listed row with its estimated cost (a hit billed nothing; see HistoryRow.costUsd). */
function withCost<R extends HistoryRow>(row: R, prices: readonly Price[]): R {
  if (row.cache === 'hit') return { ...row, costUsd: 0 };
  const hasTokens = (row.inputTokens ?? 0) + (row.outputTokens ?? 0) > 0;
  const costUsd = row.upstreamModel && hasTokens ? costOf(prices, row.upstreamModel, row.inputTokens ?? 0, row.outputTokens ?? 0) : null;
  return { ...row, costUsd };
}

type Request<K extends ControlOperationName> = z.output<(typeof CONTROL_OPERATIONS)[K]['request']>;

/**
 * The one implementation of the control API, over the store. Every request is validated here
 * too (transports validate already; direct callers such as tests and the CLI may not), so a bad
 * payload is always GatewayError('invalid_request') naming the field.
 * Keys are write-only: every key comes back as KeyInfo with its masked form, provider header
 * values are masked, and nothing in a response or error message holds a secret.
 */
export function createControlService(deps: ControlServiceDeps): ControlApi {
  const { store, engine, upstream, events, checks } = deps;

  function parse<K extends ControlOperationName>(name: K, payload: unknown): Request<K> {
    return parseOrThrow(CONTROL_OPERATIONS[name].request, payload, name) as Request<K>;
  }

  function providerInfo(record: ProviderRecord): ProviderInfo {
    const headers = Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name, maskSecret(value)]));
    return { ...record, headers, proxy: record.proxy === null ? null : maskProxyUrl(record.proxy), keys: keyViews(store.keys.list(record.id), () => store.keys.secretsFor(record.id)) };
  }

  function revealKey(providerId: string, keyId: number): string {
    const key = store.keys.secretsFor(providerId).find((entry) => entry.id === keyId);
    if (!key) throw new GatewayError('key_not_found', `Key ${keyId}`);
    return key.reveal();
  }

  function requireProvider(id: string): ProviderRecord {
    const provider = store.providers.get(id);
    if (!provider) throw new GatewayError('provider_not_found', `Provider "${id}"`);
    return provider;
  }

  /**
   * The UI edits a provider it received with masked header values; a value sent back unchanged
   * (still the mask of the stored one) keeps the stored value instead of saving the mask.
   */
  function unmaskHeaders(existing: ProviderRecord, headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => {
        const stored = existing.headers[name];
        return [name, stored !== undefined && value === maskSecret(stored) ? stored : value];
      }),
    );
  }

  /** Every pool names proxies that settings.proxies lists (a pool is never silently partly ignored). */
  function requirePoolProxies(providers: ReadonlyArray<{ id: string; proxyPool: readonly string[] }>, proxies: ReadonlyArray<{ id: string }>, param: string): void {
    const problem = describeMissingPoolProxies(providers, proxies);
    if (problem) throw new GatewayError('invalid_request', problem, { param });
  }

  function readCertificates(pem: string, param: string): CertificateSummary[] {
    try {
      return describePemCertificates(pem);
    } catch (error) {
      throw new GatewayError('invalid_request', error instanceof Error ? error.message : String(error), { param, cause: error });
    }
  }

  function requireBaseUrl(baseUrl: string): void {
    const check = checkBaseUrl(baseUrl);
    if (!check.ok) throw new GatewayError('invalid_request', `baseUrl ${check.error}`, { param: 'baseUrl' });
  }

  function requireTargetProviders(targets: readonly AliasTarget[]): void {
    targets.forEach((target, index) => {
      if (!store.providers.get(target.provider)) {
        throw new GatewayError('provider_not_found', `targets[${index}]: provider "${target.provider}"`, { param: `targets[${index}].provider` });
      }
    });
  }

  /** A config from the UI: text (JSON, positions known) or an object; no `${NAME}` expands. */
  function readConfig(input: { text?: string; config?: unknown }): SwitchboardConfig {
    if ((input.text === undefined) === (input.config === undefined)) {
      throw new GatewayError('invalid_request', 'Send the configuration either as "text" or as "config"', { param: 'text' });
    }
    try {
      if (input.text !== undefined) return parseConfigText(input.text, { file: null, format: 'json', env: null, providers: deps.providers });
      const expanded = expandEnv(input.config, null);
      if (expanded.issues.length > 0) throw new ConfigError(null, expanded.issues);
      return parseConfig(expanded.value, null, deps.providers);
    } catch (error) {
      return toInvalidRequest(error);
    }
  }

  function applyFromUi(config: SwitchboardConfig, mode: ApplyMode, dryRun: boolean | undefined): ConfigChanges {
    try {
      return applyConfig(store, config, { mode, dryRun, providers: deps.providers });
    } catch (error) {
      return toInvalidRequest(error);
    }
  }

  function toInvalidRequest(error: unknown): never {
    if (error instanceof ConfigError) {
      const detail = error.issues.map((issue) => `${describeIssueLocation(issue)}: ${issue.message}`).join('; ');
      throw new GatewayError('invalid_request', `Config: ${detail}`, { param: error.issues[0]?.path, issues: error.issues, cause: error });
    }
    throw error;
  }

  const api: ControlApi = {
    async getStatus(request) {
      parse('getStatus', request);
      return engine.status();
    },
    async startProxy(request) {
      parse('startProxy', request);
      const status = await engine.start();
      events.emitStatus?.();
      return status;
    },
    async stopProxy(request) {
      parse('stopProxy', request);
      const status = await engine.stop();
      events.emitStatus?.();
      return status;
    },

    async listProviderKinds(request) {
      parse('listProviderKinds', request);
      return deps.providers.describe();
    },
    async listProviders(request) {
      parse('listProviders', request);
      return store.providers.list().map(providerInfo);
    },
    async createProvider(request) {
      const input = deps.providers.check(parse('createProvider', request));
      requireBaseUrl(input.baseUrl);
      requirePoolProxies([{ id: input.id, proxyPool: input.proxyPool ?? [] }], store.settings.get().proxies, 'proxyPool');
      const saved = providerInfo(store.providers.create(input));
      upstream.providerChanged?.(saved.id);
      return saved;
    },
    async updateProvider(request) {
      const { id, newId, ...changes } = parse('updateProvider', request);
      const existing = requireProvider(id);
      if (changes.baseUrl !== undefined) requireBaseUrl(changes.baseUrl);
      if (changes.proxyPool) requirePoolProxies([{ id, proxyPool: changes.proxyPool }], store.settings.get().proxies, 'proxyPool');
      const headers = changes.headers ? unmaskHeaders(existing, changes.headers) : undefined;
      // A proxy sent back as the mask it was shown as keeps the stored URL (and its password).
      if (changes.proxy && existing.proxy && changes.proxy === maskProxyUrl(existing.proxy)) changes.proxy = existing.proxy;
      // The edited provider as a whole is checked against its (possibly new) kind.
      const { kind, options } = deps.providers.check({
        id,
        kind: changes.kind ?? existing.kind,
        baseUrl: changes.baseUrl ?? existing.baseUrl,
        options: changes.options ?? existing.options,
      });
      const saved = providerInfo(store.providers.update(id, { ...changes, newId, headers, kind, options }));
      upstream.providerChanged?.(saved.id);
      return saved;
    },
    async deleteProvider(request) {
      const { id } = parse('deleteProvider', request);
      if (!store.providers.delete(id)) throw new GatewayError('provider_not_found', `Provider "${id}"`);
    },
    async testProvider(request) {
      const { providerId, keyId } = parse('testProvider', request);
      requireProvider(providerId);
      if (keyId !== undefined && store.keys.get(keyId)?.providerId !== providerId) {
        throw new GatewayError('key_not_found', `Key ${keyId} of provider "${providerId}"`);
      }
      return upstream.testProvider(providerId, keyId);
    },

    async addKey(request) {
      const { providerId, label, ...fields } = parse('addKey', request);
      requireProvider(providerId);
      const key = store.keys.add(providerId, encodeKeyMaterial(materialFromRequest(fields)), label);
      upstream.providerChanged?.(providerId);
      return key;
    },
    async replaceKey(request) {
      const { keyId, proxy, label, ...fields } = parse('replaceKey', request);
      const stored = store.keys.get(keyId);
      if (!stored) throw new GatewayError('key_not_found', `Key ${keyId}`);
      if (fields.secret !== undefined || fields.oauth2 !== undefined || proxy !== undefined) {
        const existing = decodeKeyMaterial(revealKey(stored.providerId, keyId));
        // Only a new proxy: the secret (or account, with its tokens) stays as it is. An account's
        // fields sent to an account edit it in place (masks keep the stored secrets).
        const current =
          fields.oauth2 !== undefined && existing.type === 'oauth2'
            ? editedAccount(existing, fields.oauth2)
            : fields.secret === undefined && fields.oauth2 === undefined
              ? existing
              : materialFromRequest({ ...fields, proxy: proxy ?? null });
        // A proxy sent back as the mask it was shown as keeps the stored URL (and its password).
        const nextProxy = proxy && existing.proxy && proxy === maskProxyUrl(existing.proxy) ? existing.proxy : proxy;
        store.keys.replace(keyId, encodeKeyMaterial(withProxy(current, nextProxy)));
      }
      // Renamed last, so a refused secret leaves the whole key as it was.
      const key = label === undefined ? store.keys.get(keyId)! : store.keys.rename(keyId, label);
      upstream.keyChanged?.(keyId);
      return key;
    },
    async setKeyEnabled(request) {
      const { keyId, enabled } = parse('setKeyEnabled', request);
      const key = store.keys.setEnabled(keyId, enabled);
      upstream.keyChanged?.(keyId);
      return key;
    },
    async deleteKey(request) {
      const { keyId } = parse('deleteKey', request);
      if (!store.keys.delete(keyId)) throw new GatewayError('key_not_found', `Key ${keyId}`);
    },

    async listModels(request) {
      parse('listModels', request);
      return store.models.list();
    },
    async refreshModels(request) {
      const providerId = parse('refreshModels', request)?.providerId;
      if (providerId !== undefined) requireProvider(providerId);
      return upstream.refreshModels(providerId);
    },

    async listAliases(request) {
      parse('listAliases', request);
      return store.aliases.list();
    },
    async createAlias(request) {
      const input = parse('createAlias', request);
      requireTargetProviders(input.targets);
      return store.aliases.create(input);
    },
    async updateAlias(request) {
      const { alias, ...changes } = parse('updateAlias', request);
      if (changes.targets) requireTargetProviders(changes.targets);
      return store.aliases.update(alias, changes);
    },
    async deleteAlias(request) {
      const { alias } = parse('deleteAlias', request);
      if (!store.aliases.delete(alias)) throw new GatewayError('alias_not_found', `Alias "${alias}"`);
    },

    async listClientTokens(request) {
      parse('listClientTokens', request);
      return store.clientTokens.list();
    },
    async createClientToken(request) {
      const { name, ...governance } = parse('createClientToken', request);
      return store.clientTokens.create(name.trim(), undefined, governance);
    },
    async updateClientToken(request) {
      const { id, name, ...governance } = parse('updateClientToken', request);
      return store.transaction(() => {
        if (name !== undefined) store.clientTokens.rename(id, name.trim());
        return store.clientTokens.setGovernance(id, governance);
      });
    },
    async rotateClientToken(request) {
      return store.clientTokens.rotate(parse('rotateClientToken', request).id);
    },
    async listClients(request) {
      parse('listClients', request);
      const live = store.clientTokens.list().filter((token) => token.revokedAt === null);
      const clients = await Promise.all(live.map(async (token) => ({ ...token, usage: await deps.governance.usage(`token:${token.id}`) })));
      return { clients, lane: { limits: store.settings.get().ollamaLane.limits, usage: await deps.governance.usage(TOKENLESS_CLIENT) } };
    },
    async providerPacing(request) {
      parse('providerPacing', request);
      return deps.governance.pacing();
    },
    async revokeClientToken(request) {
      const { id } = parse('revokeClientToken', request);
      if (!store.clientTokens.revoke(id)) throw new GatewayError('client_token_not_found', `Client token ${id}`);
    },
    async getDashboardClientToken(request) {
      parse('getDashboardClientToken', request);
      return dashboardClientToken(store);
    },

    async getSettings(request) {
      parse('getSettings', request);
      return maskedSettings(store.settings.get());
    },
    async describeCertificates(request) {
      return readCertificates(parse('describeCertificates', request).pem, 'pem');
    },
    async updateSettings(request) {
      const patch = parse('updateSettings', unmaskSettingsPatch(request, store.settings.get()));
      if (patch.proxies) requirePoolProxies(store.providers.list(), patch.proxies, 'proxies');
      // A CA that cannot be read is refused now, not found out at the next TLS handshake.
      if (patch.proxyCa) readCertificates(patch.proxyCa, 'proxyCa');
      const settings = store.settings.update(patch);
      events.emitStatus?.();
      return maskedSettings(settings);
    },
    async rotateMetricsToken(request) {
      parse('rotateMetricsToken', request);
      const token = `sbm-${randomBytes(24).toString('base64url')}`;
      store.settings.update({ metrics: { token } });
      return { token };
    },

    async queryHistory(request) {
      const page = await store.history.query(parse('queryHistory', request));
      const prices = store.prices.list();
      return { ...page, rows: page.rows.map((row) => withCost(row, prices)) };
    },
    async getHistoryEntry(request) {
      const entry = await store.history.get(parse('getHistoryEntry', request).id);
      return entry && withCost(entry, store.prices.list());
    },
    async listSessions(request) {
      return store.history.sessions(parse('listSessions', request));
    },
    async clearHistory(request) {
      parse('clearHistory', request);
      await store.history.clear();
      // Kept Responses conversations hold prompts too: clearing history clears them as well.
      await store.responses.prune(Number.MAX_SAFE_INTEGER);
      // Captured bodies may hold prompts the user wants gone from disk, not just from the list.
      store.checkpoint();
      events.emitStatus?.();
    },

    async getCacheStats(request) {
      parse('getCacheStats', request);
      return deps.cache.stats();
    },
    async clearCache(request) {
      parse('clearCache', request);
      const removed = await deps.cache.clear();
      // Kept answers hold prompts' answers: gone from disk, not just from the index.
      store.checkpoint();
      return { removed };
    },

    async getUsage(request) {
      return store.history.usage(parse('getUsage', request), store.prices.list());
    },
    async getPerformance(request) {
      return store.history.performance(parse('getPerformance', request), store.prices.list());
    },
    async listPrices(request) {
      parse('listPrices', request);
      return store.prices.list();
    },
    async setPrice(request) {
      return store.prices.set(parse('setPrice', request));
    },
    async deletePrice(request) {
      return store.prices.delete(parse('deletePrice', request).model);
    },

    async importConfig(request) {
      const input = parse('importConfig', request);
      return applyFromUi(readConfig(input), 'merge', input.dryRun);
    },
    async exportConfig(request) {
      // The control API is what the HTTP dashboard (behind one admin token) and the window reach:
      // secrets leave only through the CLI reading the data folder (cli/export-command.ts).
      if (parse('exportConfig', request)?.includeSecrets) throw new GatewayError('secrets_not_exported');
      return exportConfig(store, { includeSecrets: false });
    },
    async getConfigText(request) {
      parse('getConfigText', request);
      return { text: `${JSON.stringify(exportConfig(store), null, 2)}\n`, configFile: store.appState.get('configFile') };
    },
    async setConfigText(request) {
      const { text, dryRun } = parse('setConfigText', request);
      return applyFromUi(readConfig({ text }), 'replace', dryRun);
    },

    async rotateAdminToken(request) {
      parse('rotateAdminToken', request);
      return { token: rotateAdminToken(store) };
    },
    async runChecks(request) {
      parse('runChecks', request);
      return checks.run();
    },
    async getLogTail(request) {
      return deps.logs.read(parse('getLogTail', request) ?? {});
    },
    async buildDiagnostics(request) {
      parse('buildDiagnostics', request);
      const { fileName, archiveBase64, bytes, files } = await deps.diagnostics.build();
      return { fileName, archiveBase64, bytes, files };
    },
  };
  return api;
}
