import type { AliasTarget } from '../domain/alias.ts';
import type { ImportSummary, SwitchboardConfig } from '../domain/config-file.ts';
import { GatewayError } from '../errors/codes.ts';
import type { ProviderCatalog } from '../providers/types.ts';
import type { Store } from '../store/types.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { toTarget } from './target-address.ts';

/**
 * Applies a validated config to the store in ONE transaction, so a config that fails half-way
 * imports nothing. Upserts providers by id (adding only keys not already stored), aliases by
 * name, clients by name; patches settings; sets prices. Nothing is deleted. Each provider is
 * checked against its kind (known kind, options as the kind describes them).
 */
export function importConfig(store: Store, config: SwitchboardConfig, file: string | null, providers: Pick<ProviderCatalog, 'check'>): ImportSummary {
  const targets = resolveTargets(store, config, file);
  return store.transaction(() => {
    const summary: ImportSummary = { providers: 0, keys: 0, aliases: 0, clients: 0, settings: 0 };

    config.providers?.forEach((provider, index) => {
      const { keys, ...input } = provider;
      atPath(file, `providers[${index}]`, () => store.providers.upsert(providers.check(input)));
      summary.providers += 1;
      const stored = existingSecrets(store, input.id);
      keys?.map((key) => key.trim()).forEach((secret, keyIndex) => {
        if (stored.has(secret)) return;
        atPath(file, `providers[${index}].keys[${keyIndex}]`, () => store.keys.add(input.id, secret));
        stored.add(secret);
        summary.keys += 1;
      });
    });

    config.models?.forEach((model, index) => {
      store.aliases.upsert({ alias: model.alias, targets: targets[index] ?? [], exposed: model.exposed, metadata: model.metadata });
      summary.aliases += 1;
    });

    config.clients?.forEach((client, index) => {
      atPath(file, `clients[${index}]`, () => {
        if (client.token !== undefined) store.clientTokens.upsertByName(client.name, client.token);
        else if (!store.clientTokens.list().some((token) => token.name === client.name && token.revokedAt === null)) {
          store.clientTokens.create(client.name);
        }
      });
      summary.clients += 1;
    });

    if (config.settings) {
      const patch = config.settings;
      atPath(file, 'settings', () => store.settings.update(patch));
      summary.settings = Object.values(patch).filter((value) => value !== undefined).length;
    }

    for (const price of config.prices ?? []) store.prices.set(price);
    return summary;
  });
}

/** Parses target strings and checks every target names a provider of the config or the store. */
function resolveTargets(store: Store, config: SwitchboardConfig, file: string | null): AliasTarget[][] {
  const known = new Set([...(config.providers ?? []).map((p) => p.id), ...store.providers.list().map((p) => p.id)]);
  const issues: ConfigIssue[] = [];
  const resolved = (config.models ?? []).map((model, modelIndex) =>
    model.targets.flatMap((value, targetIndex) => {
      const path = `models[${modelIndex}].targets[${targetIndex}]`;
      const target = toTarget(value);
      if (!target) {
        issues.push({ path, message: 'use "providerId/upstream-model"' });
        return [];
      }
      if (!known.has(target.provider)) {
        issues.push({ path, message: `provider "${target.provider}" is neither in this file nor configured in Switchboard` });
      }
      return [target];
    }),
  );
  if (issues.length > 0) throw new ConfigError(file, issues);
  return resolved;
}

/**
 * Plaintexts of the keys a provider already has, to skip duplicates. A key that no longer
 * decrypts cannot be compared; it is left alone and the config's key is added next to it.
 */
function existingSecrets(store: Store, providerId: string): Set<string> {
  const secrets = new Set<string>();
  for (const key of store.keys.secretsFor(providerId)) {
    try {
      secrets.add(key.reveal());
    } catch (error) {
      if (!(error instanceof GatewayError && error.code === 'secret_unavailable')) throw error;
    }
  }
  return secrets;
}

/** Re-raises a validation failure of the store as a ConfigError pointing at the config entry. */
function atPath<T>(file: string | null, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof GatewayError && (error.code === 'invalid_request' || error.code === 'client_token_exists')) {
      throw new ConfigError(file, [{ path, message: error.message }], { cause: error });
    }
    throw error;
  }
}
