/**
 * Which outbound proxy an upstream call goes through: the key's own proxy, else the provider's,
 * else none (a direct connection). The dispatcher for the chosen proxy is picked in
 * upstream/http-client.ts (`dispatcherFor`); here only the URL is chosen. With nothing
 * configured this is two property reads per attempt.
 */
import type { ProviderRecord } from '../domain/provider.ts';
import type { ResolvedTarget } from '../providers/types.ts';
import type { Store } from '../store/types.ts';
import { decodeKeyMaterial } from '../domain/provider-key.ts';

export interface ProxyChoice {
  /** The proxy URL for a call to `provider` with `key`, or undefined for a direct call. */
  pick(provider: ProviderRecord, key: ResolvedTarget['key']): string | undefined;
}

export function createProxyChoice(): ProxyChoice {
  return {
    pick(provider, key) {
      return key?.proxy ?? provider.proxy ?? undefined;
    },
  };
}

/** Every proxy URL the configuration names (providers and keys): the dispatchers worth keeping. */
export function configuredProxyUrls(store: Pick<Store, 'providers' | 'keys'>): Set<string> {
  const urls = new Set<string>();
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
