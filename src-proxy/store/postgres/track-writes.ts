/**
 * Wraps the mirror's repositories so every write marks the tables it touches for the push to
 * PostgreSQL. Configuration writes are urgent (pushed now and announced to the other instances);
 * usage-only writes on the request path (a key's last use or error, a token's last use, a
 * provider's last error, discovered models) go out within a second, unannounced.
 */
import type { SqliteStore, Store } from '../types.ts';
import { PUSHED_TABLES } from './pg-mirror.ts';

type Changed = (tables: readonly string[], urgent: boolean) => void;

interface Tracking {
  tables: readonly string[];
  /** Methods that only read. */
  reads: readonly string[];
  /** Writes that need no announcement. */
  background?: readonly string[];
}

const TRACKING = {
  providers: { tables: ['providers', 'provider_keys', 'discovered_models', 'model_metadata_overrides'], reads: ['list', 'get'], background: ['setLastError'] },
  keys: { tables: ['provider_keys'], reads: ['list', 'get', 'secretsFor', 'revealAll'], background: ['recordUse', 'recordError'] },
  aliases: { tables: ['aliases', 'alias_targets'], reads: ['list', 'get'] },
  clientTokens: { tables: ['client_tokens'], reads: ['list', 'get', 'fingerprint', 'reveal', 'verify', 'revealAll', 'isEmpty'], background: ['touch'] },
  settings: { tables: ['settings'], reads: ['get'] },
  models: { tables: ['discovered_models', 'model_metadata_overrides'], reads: ['list', 'providersOffering'], background: ['replace'] },
  prices: { tables: ['prices'], reads: ['list'] },
  appState: { tables: ['app_state', 'app_secrets'], reads: ['get', 'getSecret'] },
} satisfies Partial<Record<keyof Store, Tracking>>;

function track<T extends object>(repo: T, tracking: Tracking, changed: Changed): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo)) {
    if (typeof value !== 'function' || tracking.reads.includes(name)) {
      wrapped[name] = typeof value === 'function' ? value.bind(repo) : value;
      continue;
    }
    const urgent = !tracking.background?.includes(name);
    wrapped[name] = (...args: unknown[]) => {
      const result: unknown = value.apply(repo, args);
      changed(tracking.tables, urgent);
      return result;
    };
  }
  return wrapped as T;
}

export function trackWrites(local: SqliteStore, changed: Changed): Omit<SqliteStore, 'kind' | 'history' | 'close'> {
  return {
    path: local.path,
    cipher: local.cipher,
    providers: track(local.providers, TRACKING.providers, changed),
    keys: track(local.keys, TRACKING.keys, changed),
    aliases: track(local.aliases, TRACKING.aliases, changed),
    clientTokens: track(local.clientTokens, TRACKING.clientTokens, changed),
    settings: track(local.settings, TRACKING.settings, changed),
    models: track(local.models, TRACKING.models, changed),
    prices: track(local.prices, TRACKING.prices, changed),
    appState: track(local.appState, TRACKING.appState, changed),
    responses: local.responses,
    responseCache: local.responseCache,
    clientSpend: local.clientSpend,
    transaction<T>(fn: () => T): T {
      const result = local.transaction(fn);
      changed([...PUSHED_TABLES], true);
      return result;
    },
    checkpoint: () => local.checkpoint(),
  };
}
