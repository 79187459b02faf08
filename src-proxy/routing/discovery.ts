/**
 * Model discovery: each enabled provider's models endpoint, cached in the store, refreshed at
 * start, on demand, and when a model name did not resolve and the cache is stale. Also the
 * provider "Test" action, which makes the same real call with a chosen key.
 */
import type { ProviderTestResult } from '../domain/provider.ts';
import type { DiscoveredModel } from '../domain/model-metadata.ts';
import type { Settings } from '../domain/settings.ts';
import { GatewayError, toGatewayError } from '../errors/codes.ts';
import type { DiscoveredModelInfo, ProviderAdapter, ProviderCatalog, ResolvedTarget, UpstreamContext } from '../providers/types.ts';
import type { ProviderRecord } from '../domain/provider.ts';
import type { Store } from '../store/types.ts';
import { forAttempt, type UpstreamHttp } from '../upstream/http-client.ts';
import type { KeyVerdict } from './key-check.ts';
import type { KeyPool } from './key-pool.ts';
import type { KeyCredentials, StoredKey } from './key-credentials.ts';
import type { ChosenProxy, ProxyChoice } from './proxy-choice.ts';
import { decodeKeyMaterial } from '../domain/provider-key.ts';

const STALE_AFTER_MS = 5 * 60_000;
const DISCOVERY_TIMEOUT_MS = 15_000;

export interface ModelDiscovery {
  refresh(providerId?: string): Promise<DiscoveredModel[]>;
  /** Refreshes providers not fetched recently; concurrent callers share one run. */
  refreshStale(): Promise<void>;
  testProvider(providerId: string, keyId?: number): Promise<ProviderTestResult>;
  /** The key's own models call: does the provider still accept this key? (routing/key-check.ts) */
  checkKey(providerId: string, keyId: number): Promise<KeyVerdict>;
  /** Resolves when no discovery run is in flight. */
  whenIdle(): Promise<void>;
}

export function createModelDiscovery(deps: {
  store: Store;
  providers: Pick<ProviderCatalog, 'adapter' | 'spoke'>;
  http: UpstreamHttp;
  keyPool: Pick<KeyPool, 'peekHealthyKey'>;
  /** Turns a stored key into what a call sends (an OAuth2 account's token). */
  credentials: Pick<KeyCredentials, 'resolve' | 'rejected'>;
  /** The outbound proxy of a call (the same choice as for requests). */
  proxies?: ProxyChoice;
  settings: () => Settings;
  onChanged: () => void;
  /** A provider's model list could not be fetched (it is also kept as the provider's lastError). */
  onProviderError?: (providerId: string, error: GatewayError) => void;
  now?: () => number;
}): ModelDiscovery {
  const now = deps.now ?? Date.now;
  const fetchedAt = new Map<string, number>();
  let staleRun: Promise<void> | null = null;
  const running = new Set<Promise<unknown>>();
  function tracked<T>(run: Promise<T>): Promise<T> {
    running.add(run);
    void run.then(() => running.delete(run), () => running.delete(run));
    return run;
  }

  function context(proxy: ChosenProxy | undefined, provider: ProviderRecord): UpstreamContext {
    const timeouts = deps.settings().timeouts;
    return {
      http: forAttempt(deps.http, { proxy: proxy?.url, http2: provider.http2 }),
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      timeouts: { ...timeouts, firstByteMs: Math.min(timeouts.firstByteMs, DISCOVERY_TIMEOUT_MS), totalMs: DISCOVERY_TIMEOUT_MS },
      clientHeaders: {},
    };
  }

  function keyFor(provider: ProviderRecord, adapter: ProviderAdapter, keyId?: number): StoredKey | null {
    const secrets = deps.store.keys.secretsFor(provider.id).filter((key) => key.enabled || key.id === keyId);
    const chosen = keyId !== undefined ? secrets.find((key) => key.id === keyId) : deps.keyPool.peekHealthyKey(provider.id) ?? secrets[0];
    if (!chosen) {
      if (keyId !== undefined) throw new GatewayError('invalid_request', `Key ${keyId} does not belong to provider "${provider.id}"`);
      if (deps.providers.spoke(provider.kind)?.keyOptional) return null;
      throw new GatewayError('no_provider_key', `Provider "${provider.id}" has no key`);
    }
    return chosen;
  }

  /** The proxy a call with this stored key goes through (chosen once per call: a pool rotates). */
  function proxyOfStored(provider: ProviderRecord, stored: StoredKey | null): ChosenProxy | undefined {
    const keyProxy = stored ? (stored.material?.() ?? decodeKeyMaterial(stored.reveal())).proxy : undefined;
    return deps.proxies?.pick(provider, stored ? { id: stored.id, label: stored.label, secret: '', ...(keyProxy ? { proxy: keyProxy } : {}) } : null);
  }

  /** The models call with a key; an OAuth2 account whose token is refused refreshes and tries once more. */
  async function listWith(provider: ProviderRecord, adapter: ProviderAdapter, stored: StoredKey | null, proxy = proxyOfStored(provider, stored)): Promise<{ key: ResolvedTarget['key']; models: DiscoveredModelInfo[] }> {
    const resolve = () => (stored ? deps.credentials.resolve(provider.id, stored, AbortSignal.timeout(DISCOVERY_TIMEOUT_MS)) : Promise.resolve(null));
    const key = await resolve();
    try {
      return { key, models: await adapter.listModels(provider, key, context(proxy, provider)) };
    } catch (thrown) {
      const isAccount = key !== null && stored !== null && (stored.material?.() ?? decodeKeyMaterial(stored.reveal())).type === 'oauth2';
      if (!isAccount || toGatewayError(thrown).code !== 'upstream_auth_failed') throw thrown;
      deps.credentials.rejected(key.id, key.secret);
      const again = await resolve();
      return { key: again, models: await adapter.listModels(provider, again, context(proxy, provider)) };
    }
  }

  async function refreshOne(provider: ProviderRecord): Promise<void> {
    const adapter = deps.providers.adapter(provider.kind);
    if (!adapter) return;
    fetchedAt.set(provider.id, now());
    try {
      const { models } = await listWith(provider, adapter, keyFor(provider, adapter));
      deps.store.models.replace(provider.id, models, now());
      deps.store.providers.setLastError(provider.id, null);
    } catch (thrown) {
      const error = toGatewayError(thrown);
      deps.store.providers.setLastError(provider.id, error.message);
      deps.onProviderError?.(provider.id, error);
    }
  }

  async function refresh(providerId?: string): Promise<DiscoveredModel[]> {
    const providers = deps.store.providers.list().filter((provider) => provider.enabled && (!providerId || provider.id === providerId));
    if (providerId && providers.length === 0 && !deps.store.providers.get(providerId)) throw new GatewayError('provider_not_found', `Provider "${providerId}"`);
    await tracked(Promise.all(providers.map(refreshOne)));
    deps.onChanged();
    return deps.store.models.list(providerId);
  }

  return {
    refresh,
    refreshStale() {
      if (staleRun) return staleRun;
      const stale = deps.store.providers.list().filter((provider) => provider.enabled && now() - (fetchedAt.get(provider.id) ?? 0) > STALE_AFTER_MS);
      if (stale.length === 0) return Promise.resolve();
      staleRun = tracked(Promise.all(stale.map(refreshOne)))
        .then(() => deps.onChanged())
        .finally(() => {
          staleRun = null;
        });
      return staleRun;
    },
    async checkKey(providerId, keyId) {
      const provider = deps.store.providers.get(providerId);
      const adapter = provider ? deps.providers.adapter(provider.kind) : undefined;
      const key = deps.store.keys.secretsFor(providerId).find((entry) => entry.id === keyId);
      if (!provider || !adapter || !key) return 'unknown';
      try {
        await tracked(listWith(provider, adapter, key));
        return 'accepted';
      } catch (thrown) {
        return toGatewayError(thrown).code === 'upstream_auth_failed' ? 'rejected' : 'unknown';
      }
    },
    async whenIdle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async testProvider(providerId, keyId) {
      const provider = deps.store.providers.get(providerId);
      if (!provider) throw new GatewayError('provider_not_found', `Provider "${providerId}"`);
      const adapter = deps.providers.adapter(provider.kind);
      if (!adapter) throw new GatewayError('unsupported_feature', `Provider kind "${provider.kind}" is not available`);
      const startedAt = now();
      let via: string | undefined;
      try {
        const stored = keyFor(provider, adapter, keyId);
        const proxy = proxyOfStored(provider, stored);
        via = proxy?.name;
        const { key, models } = await listWith(provider, adapter, stored, proxy);
        deps.store.models.replace(provider.id, models, now());
        deps.store.providers.setLastError(provider.id, null);
        if (key) deps.store.keys.recordError(key.id, null, null);
        deps.onChanged();
        return {
          ok: true,
          status: 200,
          errorCode: null,
          latencyMs: now() - startedAt,
          message: `Connected${via ? ` through the proxy ${via}` : ''}: ${models.length} model(s) available`,
          models: models.map((m) => m.model),
          ...(via ? { proxy: via } : {}),
        };
      } catch (thrown) {
        const error = toGatewayError(thrown);
        const status = error.upstreamBody?.status ?? null;
        if (keyId !== undefined && (error.code === 'upstream_auth_failed')) deps.store.keys.recordError(keyId, error.message, null);
        return { ok: false, status, errorCode: error.code, latencyMs: now() - startedAt, message: `${error.code}: ${error.message}`, models: [], ...(via ? { proxy: via } : {}) };
      }
    },
  };
}
