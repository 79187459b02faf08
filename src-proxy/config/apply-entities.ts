import type { SwitchboardConfig } from '../domain/config-file.ts';
import type { ClientGovernancePatch } from '../domain/governance.ts';
import type { Settings, SettingsPatch } from '../domain/settings.ts';
import { describeMissingPoolProxies, hasProxyCredentials, withoutProxyPassword } from '../domain/proxy-url.ts';
import type { Price } from '../domain/usage.ts';
import { ConfigError } from './config-error.ts';
import { atPath, sameValue, type ApplyContext, type ResolvedModelTargets } from './apply-context.ts';

type ConfigModel = NonNullable<SwitchboardConfig['models']>[number];
type ConfigClient = NonNullable<SwitchboardConfig['clients']>[number];

/** Aliases (see apply-config.ts for what each mode means). `targets[i]` are model i's, resolved (rules included). */
export function applyAliases(context: ApplyContext, models: readonly ConfigModel[], targets: ResolvedModelTargets[]): void {
  const { store, mode, changes, file } = context;
  const declared = new Set(models.map((model) => model.alias));

  models.forEach((model, index) => {
    const modelTargets = targets[index]?.targets ?? [];
    const rules = targets[index]?.rules;
    const existing = store.aliases.get(model.alias);
    if (!existing) {
      atPath(file, `models[${index}]`, () =>
        store.aliases.create({ alias: model.alias, targets: modelTargets, rules, exposed: model.exposed, metadata: model.metadata, cache: model.cache }, context.owner),
      );
      changes.aliases.added.push(model.alias);
      return;
    }
    const desired = {
      targets: modelTargets,
      rules: rules ?? (mode === 'merge' ? existing.rules : []),
      exposed: model.exposed ?? (mode === 'merge' ? existing.exposed : true),
      metadata: model.metadata ?? (mode === 'merge' ? existing.metadata : {}),
      cache: model.cache ?? (mode === 'merge' ? existing.cache : null),
    };
    const differs = !sameValue({ targets: existing.targets, rules: existing.rules, exposed: existing.exposed, metadata: existing.metadata, cache: existing.cache }, desired);
    if (differs) atPath(file, `models[${index}]`, () => store.aliases.update(model.alias, desired));
    const adopt = mode === 'declarative' && existing.managedBy !== 'config';
    if (adopt) store.aliases.setManagedBy(model.alias, 'config');
    if (differs || adopt) changes.aliases.changed.push(model.alias);
  });

  if (mode === 'merge') return;
  for (const alias of store.aliases.list()) {
    if (declared.has(alias.alias)) continue;
    if (mode === 'declarative' && alias.managedBy !== 'config') continue;
    store.aliases.delete(alias.alias);
    changes.aliases.removed.push(alias.alias);
  }
}

/**
 * Client tokens by name. A client with a token gets exactly that token; one without keeps its
 * live token, or gets a generated one (reported once in `createdTokens`). Removed clients are
 * revoked, not deleted, so the history still names them. The dashboard's own token is never
 * touched.
 */
/** The governance a config client sets (the fields it leaves out are not in the patch). */
function governanceOf(client: ConfigClient): ClientGovernancePatch | undefined {
  const patch: ClientGovernancePatch = {};
  if (client.enabled !== undefined) patch.enabled = client.enabled;
  if (client.expiresAt !== undefined) patch.expiresAt = client.expiresAt === null ? null : Date.parse(client.expiresAt);
  if (client.models !== undefined) patch.models = client.models;
  if (client.limits !== undefined) patch.limits = client.limits;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

export function applyClients(context: ApplyContext, clients: readonly ConfigClient[]): void {
  const { store, mode, changes, file } = context;
  const declared = new Set(clients.map((client) => client.name));
  const liveByName = () => new Map(store.clientTokens.list().filter((token) => token.revokedAt === null).map((token) => [token.name, token]));

  clients.forEach((client, index) => {
    const path = `clients[${index}]`;
    let live = liveByName().get(client.name);
    let change: 'added' | 'changed' | 'none' = 'none';
    const governance = governanceOf(client);
    if (client.token !== undefined) {
      const token = client.token;
      const result = atPath(file, path, () => store.clientTokens.upsertByName(client.name, token, governance));
      live = result.info;
      change = result.change;
    } else if (!live) {
      const created = atPath(file, path, () => store.clientTokens.create(client.name, undefined, governance, context.owner));
      changes.createdTokens.push({ name: client.name, token: created.token });
      live = created;
      change = 'added';
    } else if (governance) {
      const before = JSON.stringify(live);
      const id = live.id;
      live = atPath(file, path, () => store.clientTokens.setGovernance(id, governance));
      if (JSON.stringify(live) !== before) change = 'changed';
    }
    const adopt = mode === 'declarative' && live.managedBy !== 'config';
    if (adopt) store.clientTokens.setManagedBy(live.id, 'config');
    if (change === 'added') changes.clients.added.push(client.name);
    else if (change === 'changed' || adopt) changes.clients.changed.push(client.name);
  });

  if (mode === 'merge') return;
  for (const token of liveByName().values()) {
    if (declared.has(token.name) || token.managedBy === 'dashboard') continue;
    if (mode === 'declarative' && token.managedBy !== 'config') continue;
    store.clientTokens.revoke(token.id);
    changes.clients.removed.push(token.name);
  }
}

/** Settings are patched (a setting the config leaves out keeps its value). */
export function applySettings(context: ApplyContext, patch: SettingsPatch | undefined): void {
  if (!patch) return;
  const { store, changes, file } = context;
  const before = store.settings.get();
  const after = atPath(file, 'settings', () => store.settings.update(keepProxyPasswords(patch, before)));
  for (const name of Object.keys(after) as Array<keyof typeof after>) {
    if (!sameValue(before[name], after[name])) changes.settings.push(name);
  }
}

/**
 * An export without secrets writes settings.proxies without passwords: importing it keeps the
 * password stored for the same proxy (same id and URL apart from the password).
 */
function keepProxyPasswords(patch: SettingsPatch, stored: Settings): SettingsPatch {
  if (!patch.proxies) return patch;
  const byId = new Map(stored.proxies.map((entry) => [entry.id, entry.url]));
  const proxies = patch.proxies.map((entry) => {
    const url = byId.get(entry.id);
    return url !== undefined && !hasProxyCredentials(entry.url) && withoutProxyPassword(url) === withoutProxyPassword(entry.url) ? { ...entry, url } : entry;
  });
  return { ...patch, proxies };
}

/** Every provider pool names a proxy of settings.proxies, once providers and settings are applied. */
export function checkProxyPools(context: ApplyContext): void {
  const problem = describeMissingPoolProxies(context.store.providers.list(), context.store.settings.get().proxies);
  if (problem) throw new ConfigError(context.file, [{ path: 'providers', message: problem }]);
}

/** Prices by model; the raw editor also removes the ones its text no longer lists. */
export function applyPrices(context: ApplyContext, prices: readonly Price[]): void {
  const { store, mode, changes } = context;
  const before = new Map(store.prices.list().map((price) => [price.model, price]));
  for (const price of prices) {
    if (sameValue(before.get(price.model), price)) continue;
    store.prices.set(price);
    changes.prices += 1;
  }
  if (mode !== 'replace') return;
  const declared = new Set(prices.map((price) => price.model));
  for (const model of before.keys()) {
    if (declared.has(model)) continue;
    store.prices.delete(model);
    changes.prices += 1;
  }
}
