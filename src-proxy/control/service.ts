import { checkBaseUrl } from '../config/base-url.ts';
import { ConfigError } from '../config/config-error.ts';
import { exportConfig } from '../config/export-config.ts';
import { importConfig } from '../config/import-config.ts';
import { parseConfig } from '../config/schema.ts';
import { GatewayError } from '../errors/codes.ts';
import { maskSecret } from '../store/mask.ts';
import type { ProviderRecord } from '../domain/provider.ts';
import type { ProviderCatalog } from '../providers/types.ts';
import type { Store } from '../store/types.ts';
import {
  CONTROL_OPERATIONS,
  type ControlApi,
  type ControlOperationName,
  type DiscoveredModel,
  type ProviderInfo,
  type ProviderInput,
  type ProviderTestResult,
  type ProxyStatus,
} from './contract.ts';
import { parseOrThrow } from '../domain/validation.ts';
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
  now?: () => number;
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
  const { store, engine, upstream, events } = deps;

  function parse<K extends ControlOperationName>(name: K, payload: unknown): Request<K> {
    return parseOrThrow(CONTROL_OPERATIONS[name].request, payload, name) as Request<K>;
  }

  function providerInfo(record: ProviderRecord): ProviderInfo {
    const headers = Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name, maskSecret(value)]));
    return { ...record, headers, keys: store.keys.list(record.id) };
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
  function unmaskHeaders(input: ProviderInput): ProviderInput {
    const existing = store.providers.get(input.id);
    if (!input.headers || !existing) return input;
    const headers = Object.fromEntries(
      Object.entries(input.headers).map(([name, value]) => {
        const stored = existing.headers[name];
        return [name, stored !== undefined && value === maskSecret(stored) ? stored : value];
      }),
    );
    return { ...input, headers };
  }

  function toInvalidRequest(error: unknown): never {
    if (error instanceof ConfigError) {
      const detail = error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      throw new GatewayError('invalid_request', `Config: ${detail}`, { param: error.issues[0]?.path, cause: error });
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
    async upsertProvider(request) {
      const input = parse('upsertProvider', request);
      const check = checkBaseUrl(input.baseUrl);
      if (!check.ok) throw new GatewayError('invalid_request', `baseUrl ${check.error}`, { param: 'baseUrl' });
      const saved = providerInfo(store.providers.upsert(unmaskHeaders(deps.providers.check(input))));
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
      const { providerId, secret, label } = parse('addKey', request);
      requireProvider(providerId);
      const key = store.keys.add(providerId, secret.trim(), label);
      upstream.providerChanged?.(providerId);
      return key;
    },
    async replaceKey(request) {
      const { keyId, secret } = parse('replaceKey', request);
      const key = store.keys.replace(keyId, secret.trim());
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
    async upsertAlias(request) {
      const input = parse('upsertAlias', request);
      input.targets.forEach((target, index) => {
        if (!store.providers.get(target.provider)) {
          throw new GatewayError('provider_not_found', `targets[${index}]: provider "${target.provider}"`, { param: `targets[${index}].provider` });
        }
      });
      return store.aliases.upsert(input);
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
      const { name } = parse('createClientToken', request);
      return store.clientTokens.create(name.trim());
    },
    async revokeClientToken(request) {
      const { id } = parse('revokeClientToken', request);
      if (!store.clientTokens.revoke(id)) throw new GatewayError('client_token_not_found', `Client token ${id}`);
    },

    async getSettings(request) {
      parse('getSettings', request);
      return store.settings.get();
    },
    async updateSettings(request) {
      const patch = parse('updateSettings', request);
      const settings = store.settings.update(patch);
      events.emitStatus?.();
      return settings;
    },

    async queryHistory(request) {
      return store.history.query(parse('queryHistory', request));
    },
    async getHistoryEntry(request) {
      return store.history.get(parse('getHistoryEntry', request).id);
    },
    async clearHistory(request) {
      parse('clearHistory', request);
      store.history.clear();
      // Kept Responses conversations hold prompts too: clearing history clears them as well.
      store.responses.prune(Number.MAX_SAFE_INTEGER);
      // Captured bodies may hold prompts the user wants gone from disk, not just from the list.
      store.checkpoint();
      events.emitStatus?.();
    },

    async getUsage(request) {
      return store.history.usage(parse('getUsage', request), store.prices.list());
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
      const { config } = parse('importConfig', request);
      try {
        return importConfig(store, parseConfig(config, null, deps.providers), null, deps.providers);
      } catch (error) {
        return toInvalidRequest(error);
      }
    },
    async exportConfig(request) {
      // The control API is what the HTTP dashboard (behind one admin token) and the window reach:
      // secrets leave only through the CLI reading the data folder (cli/export-command.ts).
      if (parse('exportConfig', request)?.includeSecrets) throw new GatewayError('secrets_not_exported');
      return exportConfig(store, { includeSecrets: false });
    },
  };
  return api;
}
