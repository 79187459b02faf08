/**
 * Which outbound proxy an upstream call goes through, in order: the key's own proxy, the
 * provider's, the next proxy of the provider's pool (proxy-pool.ts), the system proxy from the
 * environment when settings.useSystemProxy is on (upstream/system-proxy.ts), else none (a direct
 * connection). The dispatcher for the chosen proxy is picked in upstream/http-client.ts; here
 * only the URL is chosen. With nothing configured this is a few property reads per attempt.
 */
import type { ProviderRecord } from '../domain/provider.ts';
import { proxyName } from '../domain/proxy-url.ts';
import type { ResolvedTarget } from '../providers/types.ts';
import type { Store } from '../store/types.ts';
import { decodeKeyMaterial } from '../domain/provider-key.ts';
import type { ProxyPool } from './proxy-pool.ts';

export interface ChosenProxy {
  /** With its credentials: only for building the call. */
  url: string;
  /** Scheme, host and port: what history, the Test result and errors show. */
  name: string;
  /** The id in settings.proxies when the proxy came from the provider's pool (it may rest). */
  poolId?: string;
  /** From HTTPS_PROXY / HTTP_PROXY. */
  system?: true;
}

export interface ProxyChoice {
  /** The proxy for a call to `provider` with `key`, or undefined for a direct call. Advances a pool's rotation. */
  pick(provider: ProviderRecord, key: ResolvedTarget['key']): ChosenProxy | undefined;
}

export function createProxyChoice(deps: { pool?: ProxyPool; system?: (url: string) => string | undefined } = {}): ProxyChoice {
  return {
    pick(provider, key) {
      const explicit = key?.proxy ?? provider.proxy ?? undefined;
      if (explicit) return { url: explicit, name: proxyName(explicit) };
      if (provider.proxyPool.length > 0 && deps.pool) {
        const entry = deps.pool.next(provider);
        if (entry) return { url: entry.url, name: proxyName(entry.url), poolId: entry.id };
      }
      const system = deps.system?.(provider.baseUrl);
      return system ? { url: system, name: proxyName(system), system: true } : undefined;
    },
  };
}

/** Every proxy URL the configuration names (providers, keys, settings.proxies): the dispatchers worth keeping. */
export function configuredProxyUrls(store: Pick<Store, 'providers' | 'keys' | 'settings'>, extra: readonly string[] = []): Set<string> {
  const urls = new Set<string>(extra);
  for (const entry of store.settings.get().proxies) urls.add(entry.url);
  for (const provider of store.providers.list()) {
    if (provider.proxy) urls.add(provider.proxy);
    for (const key of store.keys.secretsFor(provider.id)) {
      try {
        const proxy = decodeKeyMaterial(key.reveal()).proxy;
        if (proxy) urls.add(proxy);
      } catch {
        // A key that no longer decrypts cannot be used either: its proxy's connections may go.
      }
    }
  }
  return urls;
}
