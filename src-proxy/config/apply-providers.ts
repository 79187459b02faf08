import type { SwitchboardConfig } from '../domain/config-file.ts';
import type { ProviderInput } from '../domain/provider.ts';
import { GatewayError } from '../errors/codes.ts';
import type { ProviderRecord } from '../domain/provider.ts';
import { atPath, sameValue, type ApplyContext, type ApplyMode } from './apply-context.ts';
import { isSensitiveHeaderName } from './export-config.ts';
import { hasProxyCredentials } from '../domain/proxy-url.ts';
import { decodeKeyMaterial, encodeKeyMaterial, keyIdentity, labelOf, materialOf, type KeyEntry } from '../domain/provider-key.ts';

type ConfigProvider = NonNullable<SwitchboardConfig['providers']>[number];

/** Providers and their keys (see apply-config.ts for what each mode means). */
export function applyProviders(context: ApplyContext, providers: readonly ConfigProvider[]): void {
  const { store, mode, changes, file } = context;
  const declaredIds = new Set(providers.map((provider) => provider.id));

  providers.forEach((provider, index) => {
    const { keys, ...declared } = provider;
    const input = atPath(file, `providers[${index}]`, () => context.checkProvider(declared));
    const existing = store.providers.get(input.id);
    if (!existing) {
      atPath(file, `providers[${index}]`, () => store.providers.create(input, context.owner));
      changes.providers.added.push(input.id);
    } else {
      const desired = desiredFields(existing, input, mode);
      const differs = !sameValue(fieldsOf(existing), desired);
      if (differs) atPath(file, `providers[${index}]`, () => store.providers.update(input.id, desired));
      const adopt = mode === 'declarative' && existing.managedBy !== 'config';
      if (adopt) store.providers.setManagedBy(input.id, 'config');
      if (differs || adopt) changes.providers.changed.push(input.id);
    }
    applyKeys(context, input.id, keys ?? [], index);
  });

  if (mode === 'merge') return;
  for (const provider of store.providers.list()) {
    if (declaredIds.has(provider.id)) continue;
    if (mode === 'declarative' && provider.managedBy !== 'config') continue;
    store.providers.delete(provider.id);
    changes.providers.removed.push(provider.id);
  }
}

function fieldsOf(record: ProviderRecord) {
  const { kind, name, baseUrl, headers, enabled, options, limits, proxy, proxyPool, http2 } = record;
  return { kind, name, baseUrl, headers, enabled, options, limits, proxy, proxyPool, http2 };
}

/**
 * What the stored provider should become. Merge keeps stored values of fields left out; the
 * other modes take the config's defaults — except that the raw editor's text never shows
 * credential-like headers, so the stored ones it does not name are kept.
 */
function desiredFields(existing: ProviderRecord, input: ProviderInput, mode: ApplyMode) {
  if (mode === 'merge') {
    return {
      kind: input.kind,
      name: input.name ?? existing.name,
      baseUrl: input.baseUrl,
      headers: input.headers ?? existing.headers,
      enabled: input.enabled ?? existing.enabled,
      options: input.options ?? existing.options,
      limits: input.limits ?? existing.limits,
      proxy: input.proxy ?? existing.proxy,
      proxyPool: input.proxyPool ?? existing.proxyPool,
      http2: input.http2 ?? existing.http2,
    };
  }
  const hidden = mode === 'replace' ? Object.fromEntries(Object.entries(existing.headers).filter(([name]) => isSensitiveHeaderName(name))) : {};
  return {
    kind: input.kind,
    name: input.name ?? input.id,
    baseUrl: input.baseUrl,
    headers: { ...hidden, ...(input.headers ?? {}) },
    enabled: input.enabled ?? true,
    options: input.options ?? {},
    limits: input.limits ?? {},
    // The raw editor's text leaves out a proxy URL with a password, like credential headers.
    proxy: input.proxy ?? (mode === 'replace' && existing.proxy && hasProxyCredentials(existing.proxy) ? existing.proxy : null),
    proxyPool: input.proxyPool ?? [],
    http2: input.http2 ?? false,
  };
}

/**
 * Merge and replace add the config's keys a provider does not hold yet. Declarative makes the
 * file's keys the provider's `config` keys: matching stored keys are kept (with their health and
 * use stats), the file's previous keys that are gone from it are deleted, new ones added. Keys
 * added in the UI stay.
 */
function applyKeys(context: ApplyContext, providerId: string, entries: readonly KeyEntry[], providerIndex: number): void {
  const { store, changes, file } = context;
  // Keys are compared by what the file configures (an OAuth account's refreshed tokens do not count).
  const wanted = entries.map((entry) => keyIdentity(materialOf(entry)));
  const owners = new Map(store.keys.list(providerId).map((key) => [key.id, key.managedBy]));
  const stored = store.keys.secretsFor(providerId).map((key) => {
    const revealed = tryReveal(key.reveal);
    return { id: key.id, managedBy: owners.get(key.id) ?? null, plaintext: revealed === null ? null : keyIdentity(decodeKeyMaterial(revealed)) };
  });
  const present = new Set<string>();

  for (const key of stored) {
    const matches = key.plaintext !== null && wanted.includes(key.plaintext) && !present.has(key.plaintext);
    if (matches && key.plaintext !== null) {
      present.add(key.plaintext);
      if (context.mode === 'declarative' && key.managedBy !== 'config') store.keys.setManagedBy(key.id, 'config');
    } else if (context.mode === 'declarative' && key.managedBy === 'config') {
      store.keys.delete(key.id);
      changes.keys.removed += 1;
    } else if (key.plaintext !== null) {
      present.add(key.plaintext);
    }
  }
  wanted.forEach((identity, keyIndex) => {
    if (present.has(identity)) return;
    const entry = entries[keyIndex]!;
    const label = labelOf(entry) ?? (context.mode === 'declarative' ? `config key ${keyIndex + 1}` : undefined);
    atPath(file, `providers[${providerIndex}].keys[${keyIndex}]`, () => store.keys.add(providerId, encodeKeyMaterial(materialOf(entry)), label, context.owner));
    present.add(identity);
    changes.keys.added += 1;
  });
}

/** A key that no longer decrypts cannot be compared: null (it is then treated as not matching). */
function tryReveal(reveal: () => string): string | null {
  try {
    return reveal();
  } catch (error) {
    // Unreadable (the key file or keyring changed): declarative mode replaces it if it was the file's.
    if (error instanceof GatewayError && error.code === 'secret_unavailable') return null;
    throw error;
  }
}
