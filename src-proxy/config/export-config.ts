import type { SwitchboardConfig } from '../domain/config-file.ts';
import { hasClientLimits, hasProviderLimits } from '../domain/governance.ts';
import type { Store } from '../store/types.ts';
import { decodeKeyMaterial, entryOf, type KeyEntry } from '../domain/provider-key.ts';
import { hasProxyCredentials, withoutProxyPassword } from '../domain/proxy-url.ts';
import { formatTarget } from './target-address.ts';

/** Header names that usually carry credentials; their values are only exported with secrets. */
export function isSensitiveHeaderName(name: string): boolean {
  return /auth|key|token|secret|cookie|session|password|signature|credential/i.test(name);
}

/**
 * The store as a config file (the format `serve --config`, importConfig and the raw editor
 * read). Only the CLI passes includeSecrets; the control API never does. Without it, keys,
 * client tokens and credential-like header values are left out entirely rather than masked: a
 * masked value would re-import as a broken key. Clients are still listed by name, so an import
 * elsewhere creates fresh tokens for them.
 * With includeSecrets, a key that no longer decrypts throws GatewayError('secret_unavailable').
 */
export function exportConfig(store: Store, options: { includeSecrets?: boolean } = {}): SwitchboardConfig {
  const includeSecrets = options.includeSecrets === true;

  const providers: NonNullable<SwitchboardConfig['providers']> = store.providers.list().map((provider) => {
    const headers = Object.fromEntries(
      Object.entries(provider.headers).filter(([name]) => includeSecrets || !isSensitiveHeaderName(name)),
    );
    return {
      id: provider.id,
      kind: provider.kind,
      name: provider.name,
      baseUrl: provider.baseUrl,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      enabled: provider.enabled,
      ...(Object.keys(provider.options).length > 0 ? { options: provider.options } : {}),
      ...(hasProviderLimits(provider.limits) ? { limits: provider.limits } : {}),
      ...(provider.proxy && (includeSecrets || !hasProxyCredentials(provider.proxy)) ? { proxy: provider.proxy } : {}),
      ...(provider.proxyPool.length > 0 ? { proxyPool: provider.proxyPool } : {}),
      ...(provider.http2 ? { http2: true } : {}),
      ...(includeSecrets ? { keys: exportedKeys(store, provider.id) } : {}),
    };
  });

  const models: NonNullable<SwitchboardConfig['models']> = store.aliases.list().map((alias) => ({
    alias: alias.alias,
    targets: alias.targets.map(formatTarget),
    ...(alias.rules.length > 0 ? { rules: alias.rules.map((rule) => ({ ...rule, targets: rule.targets.map(formatTarget) })) } : {}),
    exposed: alias.exposed,
    ...(Object.keys(alias.metadata).length > 0 ? { metadata: alias.metadata } : {}),
    ...(alias.cache ? { cache: alias.cache } : {}),
  }));

  // The dashboard's own token is Switchboard's, not a client the user configured.
  const live = store.clientTokens.list().filter((token) => token.revokedAt === null && token.managedBy !== 'dashboard');
  const revealed = includeSecrets ? new Map(store.clientTokens.revealAll().map((entry) => [entry.name, entry.token])) : new Map<string, string>();
  const clients: NonNullable<SwitchboardConfig['clients']> = live.map((token) => {
    const secret = revealed.get(token.name);
    return {
      name: token.name,
      ...(secret === undefined ? {} : { token: secret }),
      // Only what differs from "not governed", so an ungoverned client stays one line.
      ...(token.enabled ? {} : { enabled: false }),
      ...(token.expiresAt === null ? {} : { expiresAt: new Date(token.expiresAt).toISOString() }),
      ...(token.models === null ? {} : { models: token.models }),
      ...(hasClientLimits(token.limits) ? { limits: token.limits } : {}),
    };
  });

  // The metrics token is a secret: left out (an import keeps the one it has), like keys.
  const { metrics, proxies, ...settings } = store.settings.get();
  const exportedSettings = {
    ...settings,
    metrics: includeSecrets ? metrics : { enabled: metrics.enabled },
    // Proxy passwords are secrets: written without them (an import keeps the stored ones).
    proxies: includeSecrets ? proxies : proxies.map((entry) => ({ ...entry, url: withoutProxyPassword(entry.url) })),
  };
  return { providers, models, clients, settings: exportedSettings, prices: store.prices.list() };
}

/** A provider's keys as config entries (plain keys stay strings; labels travel with objects). */
function exportedKeys(store: Store, providerId: string): KeyEntry[] {
  const labels = new Map(store.keys.list(providerId).map((key) => [key.id, key.label]));
  return store.keys.secretsFor(providerId).map((key) => entryOf(decodeKeyMaterial(key.reveal()), labels.get(key.id)));
}
