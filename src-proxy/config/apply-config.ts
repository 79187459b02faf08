/**
 * Applies a validated config to the store, in ONE transaction (a config that fails half-way
 * changes nothing), and reports what changed. Three modes:
 *
 * - `merge` (Settings → Import): adds and updates what the config declares; removes nothing;
 *   fields a config entry leaves out keep their stored values.
 * - `replace` (the raw editor): the store is made to match the text — providers, aliases,
 *   clients and prices it does not list are removed. Keys and credential-like headers are not
 *   in the text (it never holds secrets), so stored ones are kept; keys it lists are added.
 * - `declarative` (`serve --config`, at each start): the file is the truth for what it declares
 *   and for what it declared before (marked `managedBy: 'config'`); everything created in the UI
 *   is left alone. Keys from the file replace the file's previous keys.
 *
 * `dryRun` runs the same transaction and rolls it back.
 */
import type { AliasTarget } from '../domain/alias.ts';
import type { ConfigChanges, SwitchboardConfig } from '../domain/config-file.ts';
import type { Store } from '../store/types.ts';
import { emptyChanges, type ApplyContext, type ApplyMode, type ApplyOptions, type ResolvedModelTargets } from './apply-context.ts';
import { applyAliases, applyClients, applyPrices, applySettings, checkProxyPools } from './apply-entities.ts';
import { applyProviders } from './apply-providers.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { toTarget } from './target-address.ts';

/** Thrown at the end of a dry run so the transaction rolls back. */
class DryRunRollback extends Error {}

export type { ApplyMode } from './apply-context.ts';

export function applyConfig(store: Store, config: SwitchboardConfig, options: ApplyOptions): ConfigChanges {
  const file = options.file ?? null;
  const dryRun = options.dryRun === true;
  const context: ApplyContext = {
    store,
    mode: options.mode,
    file,
    owner: options.mode === 'declarative' ? 'config' : null,
    changes: emptyChanges(dryRun),
    checkProvider: (input) => (options.providers ? options.providers.check(input) : input),
  };
  try {
    store.transaction(() => {
      const targets = resolveTargets(store, config, options.mode, file);
      applyProviders(context, config.providers ?? []);
      applyAliases(context, config.models ?? [], targets);
      applyClients(context, config.clients ?? []);
      applySettings(context, config.settings);
      checkProxyPools(context);
      applyPrices(context, config.prices ?? []);
      if (options.mode === 'declarative') store.appState.set('configFile', file);
      if (dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    context.changes.createdTokens = [];
  }
  return context.changes;
}

/**
 * Parses target strings (the default targets' and every rule's) and checks every target names a
 * provider that exists after the apply: one of the config, or a stored one the apply keeps.
 */
function resolveTargets(store: Store, config: SwitchboardConfig, mode: ApplyMode, file: string | null): ResolvedModelTargets[] {
  const kept = store.providers.list().filter((provider) => mode === 'merge' || (mode === 'declarative' && provider.managedBy !== 'config'));
  const known = new Set([...(config.providers ?? []).map((p) => p.id), ...kept.map((p) => p.id)]);
  const issues: ConfigIssue[] = [];
  const parse = (values: Array<string | AliasTarget>, at: string) =>
    values.flatMap((value, targetIndex) => {
      const path = `${at}[${targetIndex}]`;
      const target = toTarget(value);
      if (!target) {
        issues.push({ path, message: 'use "providerId/upstream-model"' });
        return [];
      }
      if (!known.has(target.provider)) {
        issues.push({ path, message: `provider "${target.provider}" is neither in this config nor configured in Switchboard` });
      }
      return [target];
    });
  const resolved = (config.models ?? []).map((model, modelIndex) => ({
    targets: parse(model.targets, `models[${modelIndex}].targets`),
    rules: model.rules?.map((rule, ruleIndex) => ({ ...rule, targets: parse(rule.targets, `models[${modelIndex}].rules[${ruleIndex}].targets`) })),
  }));
  if (issues.length > 0) throw new ConfigError(file, issues);
  return resolved;
}
