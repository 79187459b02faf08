/** What the steps of applyConfig share, and their small helpers. */
import type { AliasTarget, RoutingRule } from '../domain/alias.ts';
import type { ConfigChanges } from '../domain/config-file.ts';
import type { ManagedBy } from '../domain/ownership.ts';
import type { ProviderInput } from '../domain/provider.ts';
import { GatewayError } from '../errors/codes.ts';
import type { ProviderCatalog } from '../providers/types.ts';
import type { Store } from '../store/types.ts';
import { ConfigError } from './config-error.ts';

/** A config model's default targets and its rules, with target strings parsed. */
export interface ResolvedModelTargets {
  targets: AliasTarget[];
  rules?: RoutingRule[];
}

export type ApplyMode = 'merge' | 'replace' | 'declarative';

export interface ApplyOptions {
  mode: ApplyMode;
  /** The file being applied (named in errors; recorded as the config file in declarative mode). */
  file?: string | null;
  dryRun?: boolean;
  /** The provider kinds the gateway serves: each provider is checked against its kind. */
  providers?: Pick<ProviderCatalog, 'check'>;
}

/** What the per-entity steps share. */
export interface ApplyContext {
  store: Store;
  mode: ApplyMode;
  file: string | null;
  /** The owner mark for entities this apply creates. */
  owner: ManagedBy;
  changes: ConfigChanges;
  /** Checks a provider against its kind (identity when no catalog was given). */
  checkProvider(input: ProviderInput): ProviderInput;
}

export function emptyChanges(dryRun = false): ConfigChanges {
  const none = () => ({ added: [], changed: [], removed: [] });
  return { providers: none(), aliases: none(), clients: none(), keys: { added: 0, removed: 0 }, settings: [], prices: 0, createdTokens: [], dryRun };
}

/** Re-raises a validation failure of the store as a ConfigError pointing at the config entry. */
export function atPath<T>(file: string | null, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof GatewayError && (error.code === 'invalid_request' || error.code === 'already_exists')) {
      throw new ConfigError(file, [{ path, message: error.message }], { cause: error });
    }
    throw error;
  }
}

/** Same JSON, whatever the key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
  }
  return value;
}
