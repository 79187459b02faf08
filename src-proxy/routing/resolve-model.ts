/**
 * Model name → ordered targets. Pure. Resolution order (first match wins):
 *   1. an exact alias;
 *   2. a wildcard alias (`claude-*`; the most specific pattern wins, and a `*` in a target's model
 *      is replaced by the text the wildcard matched);
 *   3. an explicit `providerId/model` address, split at the first `/`
 *      (`openrouter/anthropic/claude-sonnet-4` → provider openrouter, model anthropic/claude-sonnet-4);
 *   4. a model that exactly one enabled provider lists.
 */
import { withFields } from '../wire/with-fields.ts';
import type { AliasInfo, AliasTarget } from '../domain/alias.ts';
import { GatewayError } from '../errors/codes.ts';

export interface Resolution {
  via: 'alias' | 'wildcard' | 'address' | 'discovered';
  alias: AliasInfo | null;
  targets: AliasTarget[];
}

export interface ResolveInput {
  aliases: ReadonlyMap<string, AliasInfo>;
  wildcards: readonly AliasInfo[];
  providerIds: ReadonlySet<string>;
  enabledProviderIds: ReadonlySet<string>;
  /** Providers whose discovered model list has this exact id. */
  providersOffering(model: string): string[];
}

export function wildcardMatch(pattern: string, name: string): string | null {
  const star = pattern.indexOf('*');
  if (star === -1) return null;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (suffix.includes('*')) {
    // Several stars: fall back to a regular expression, capturing the first one.
    const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('(.*)');
    const match = new RegExp(`^${source}$`, 's').exec(name);
    return match ? (match[1] ?? '') : null;
  }
  if (name.length < prefix.length + suffix.length || !name.startsWith(prefix) || !name.endsWith(suffix)) return null;
  return name.slice(prefix.length, name.length - suffix.length);
}

/** Sorts wildcard aliases most specific first (more literal characters). */
export function sortWildcards(aliases: readonly AliasInfo[]): AliasInfo[] {
  return [...aliases].sort((a, b) => b.alias.replace(/\*/g, '').length - a.alias.replace(/\*/g, '').length);
}

const LATEST_TAG = ':latest';

/**
 * Ollama clients put the default tag on names (`coder` listed by /api/tags comes back as
 * `coder:latest`, and VS Code Copilot sends that name to /v1/chat/completions too). A name with
 * `:latest` resolves as itself when an alias or a provider's model list has it verbatim (a real
 * Ollama upstream lists `llama3.2:latest`), else as the name without the tag.
 */
export function resolveModel(name: string, input: ResolveInput): Resolution | null {
  if (!name.endsWith(LATEST_TAG) || input.aliases.has(name)) return resolveUntagged(name, input);
  const bare = name.slice(0, -LATEST_TAG.length);
  if (input.aliases.has(bare)) return resolveUntagged(bare, input);
  const full = resolveUntagged(name, input);
  if (full?.via === 'discovered') return full;
  const first = full?.targets[0];
  if (full?.via === 'address' && first && input.providersOffering(first.model).includes(first.provider)) return full;
  return resolveUntagged(bare, input) ?? full;
}

function resolveUntagged(name: string, input: ResolveInput): Resolution | null {
  const exact = input.aliases.get(name);
  if (exact) return { via: 'alias', alias: exact, targets: exact.targets };

  for (const alias of input.wildcards) {
    const captured = wildcardMatch(alias.alias, name);
    if (captured === null) continue;
    const targets = alias.targets.map((target) => withFields(target, { model: target.model.replace('*', captured) }));
    return { via: 'wildcard', alias, targets };
  }

  const slash = name.indexOf('/');
  if (slash > 0) {
    const providerId = name.slice(0, slash);
    const model = name.slice(slash + 1);
    if (model && input.providerIds.has(providerId)) return { via: 'address', alias: null, targets: [{ provider: providerId, model }] };
  }

  const offering = input.providersOffering(name).filter((id) => input.enabledProviderIds.has(id));
  if (offering.length === 1) return { via: 'discovered', alias: null, targets: [{ provider: offering[0]!, model: name }] };
  if (offering.length > 1) {
    throw new GatewayError('model_ambiguous', `"${name}" is offered by ${offering.join(', ')}; use e.g. "${offering[0]}/${name}"`, { param: 'model' });
  }
  return null;
}
