/**
 * The router: resolves a model name to targets and runs attempts over targets and keys, moving
 * on for failures another attempt can fix (connect errors, timeouts before the first byte, 429,
 * 5xx, a rejected key) and never after the answer started reaching the client. Every attempt is
 * recorded.
 */
import type { AliasInfo, AliasTarget } from '../domain/alias.ts';
import type { AnswerNotes, Attempt, UpstreamProtocol } from '../domain/history.ts';
import type { Capability, ModelMetadata } from '../domain/model-metadata.ts';
import { GatewayError } from '../errors/codes.ts';
import type { ProviderAdapter, ProviderCatalog, ResolvedTarget } from '../providers/types.ts';
import type { ProviderRecord } from '../domain/provider.ts';
import type { Store } from '../store/types.ts';
import type { KeyPool, KeyRotation, PoolKey } from './key-pool.ts';
import { staticKey, type KeyCredentials } from './key-credentials.ts';
import type { ChosenProxy, ProxyChoice } from './proxy-choice.ts';
import type { ProxyPool } from './proxy-pool.ts';
import { isConnectivityFailure, type CircuitBreakers } from './circuit-breakers.ts';
import { targetMetadata } from '../domain/metadata-layers.ts';
import { resolveModel, sortWildcards, type Resolution } from './resolve-model.ts';
import { describeBadModelName } from '../upstream/model-name.ts';
import type { CallSignal } from '../upstream/call-signal.ts';

/** At most this many upstream calls for one client request. */
const MAX_ATTEMPTS = 8;

interface Snapshot {
  aliases: Map<string, AliasInfo>;
  wildcards: AliasInfo[];
  providers: Map<string, ProviderRecord>;
  enabledProviderIds: Set<string>;
  providerIds: Set<string>;
  /** Discovered model metadata by `provider\u0000model`, built on first use. */
  discovered?: Map<string, ModelMetadata>;
  /** A target's merged metadata by `alias\u0000provider\u0000model` (pure in the snapshot's data: worked out once). */
  targetMetadata: Map<string, ModelMetadata>;
  /** The same for an alias's own target objects, by identity (weak: rule-made targets may be new objects). */
  candidateMetadata: WeakMap<AliasTarget, ModelMetadata>;
}

export type FailureAction = 'next-key' | 'next-target' | 'fatal';

/** What another attempt could fix. Pure; table-tested. */
export function classifyFailure(error: GatewayError): FailureAction {
  switch (error.code) {
    case 'upstream_rate_limited':
    case 'upstream_auth_failed':
    case 'oauth_refresh_failed':
      return 'next-key';
    case 'upstream_unreachable':
    case 'upstream_timeout':
    case 'upstream_error':
    case 'upstream_redirect':
    case 'upstream_disconnected':
    case 'upstream_bad_response':
    case 'upstream_idle_timeout':
    // A 403 about the model or the content: another target may serve it; the key is not at fault.
    case 'upstream_forbidden':
    // This provider's pacing queue is full for longer than the wait allows; another may have room.
    case 'pacing_timeout':
    case 'proxy_unreachable':
    case 'proxy_auth_failed':
    case 'proxy_tls_untrusted':
      return 'next-target';
    default:
      return error.status >= 500 ? 'next-target' : 'fatal';
  }
}

export interface RouteSuccess<T> {
  result: T;
  target: ResolvedTarget;
  adapter: ProviderAdapter;
}

export interface Router {
  /** Throws GatewayError('model_not_found') listing what is available. */
  resolve(model: string): Resolution;
  run<T>(
    resolution: Resolution,
    attempts: Attempt[],
    signal: CallSignal,
    /** May throw as well as reject: either is the attempt's failure. */
    call: (target: ResolvedTarget, adapter: ProviderAdapter) => Promise<T>,
    /** Where the calls note what each answer came over (the exchange): read into each attempt's entry. */
    answers?: AnswerNotes,
  ): Promise<RouteSuccess<T>>;
  /** Drops cached aliases / providers after the configuration changed. */
  invalidate(): void;
  availableModelNames(): string[];
  /** What discovery (or the user) recorded for one provider model; cached until invalidate(). */
  discoveredMetadata(providerId: string, model: string): ModelMetadata | undefined;
  /** What the provider's kind implies a model can do when nothing else is known. */
  unknownModelCapabilities(providerId: string): readonly Capability[] | undefined;
}

export function createRouter(deps: {
  store: Store;
  providers: Pick<ProviderCatalog, 'adapter' | 'spoke'>;
  keyPool: KeyPool;
  /** Skips providers that cannot be reached; absent = never skip. */
  breakers?: CircuitBreakers;
  /** Access tokens of OAuth2 accounts; absent = such keys fail (oauth_refresh_failed) and rest. */
  credentials?: KeyCredentials;
  /** The outbound proxy of each attempt; absent = always direct. */
  proxies?: ProxyChoice;
  /** Several instances: where each pool's rotation stands (absent = this instance's own cursor). */
  rotation?: KeyRotation;
  /** Rests a pool proxy that failed (the choice above takes the next one). */
  proxyPool?: ProxyPool;
  now?: () => number;
}): Router {
  const breakers = deps.breakers;
  const now = deps.now ?? Date.now;
  let snapshot: Snapshot | null = null;

  function current(): Snapshot {
    if (snapshot) return snapshot;
    const aliases = new Map<string, AliasInfo>();
    const wildcards: AliasInfo[] = [];
    for (const alias of deps.store.aliases.list()) {
      if (alias.alias.includes('*')) wildcards.push(alias);
      else aliases.set(alias.alias, alias);
    }
    const providers = new Map(deps.store.providers.list().map((provider) => [provider.id, provider]));
    const enabledProviderIds = new Set([...providers.values()].filter((p) => p.enabled).map((p) => p.id));
    snapshot = { aliases, wildcards: sortWildcards(wildcards), providers, enabledProviderIds, providerIds: new Set(providers.keys()), targetMetadata: new Map(), candidateMetadata: new WeakMap() };
    return snapshot;
  }

  function availableModelNames(): string[] {
    const snap = current();
    const names = [...snap.aliases.values()].filter((alias) => alias.exposed).map((alias) => alias.alias);
    for (const model of deps.store.models.list()) if (snap.enabledProviderIds.has(model.providerId)) names.push(model.address);
    return names;
  }

  function discoveredMetadata(providerId: string, model: string): ModelMetadata | undefined {
    const snap = current();
    snap.discovered ??= new Map(deps.store.models.list().map((entry) => [`${entry.providerId}\u0000${entry.model}`, entry.metadata]));
    return snap.discovered.get(`${providerId}\u0000${model}`);
  }

  function metadataOf(snap: Snapshot, resolution: Resolution, provider: ProviderRecord, candidate: AliasTarget): ModelMetadata {
    // An alias's own target is one object per snapshot: its metadata is found by identity (no key built per call).
    const own = resolution.via === 'alias' ? snap.candidateMetadata.get(candidate) : undefined;
    if (own) return own;
    const { alias } = resolution;
    const { model } = candidate;
    const key = `${alias?.alias ?? ''}\u0000${provider.id}\u0000${model}`;
    let metadata = snap.targetMetadata.get(key);
    if (!metadata) {
      metadata = targetMetadata(alias, discoveredMetadata(provider.id, model), model, deps.providers.spoke(provider.kind)?.unknownModelCapabilities);
      snap.targetMetadata.set(key, metadata);
    }
    if (resolution.via === 'alias') snap.candidateMetadata.set(candidate, metadata);
    return metadata;
  }

  function unknownModelCapabilities(providerId: string): readonly Capability[] | undefined {
    const provider = current().providers.get(providerId);
    return provider ? deps.providers.spoke(provider.kind)?.unknownModelCapabilities : undefined;
  }

  function resolve(model: string): Resolution {
    const snap = current();
    const resolution = resolveModel(model, {
      aliases: snap.aliases,
      wildcards: snap.wildcards,
      providerIds: snap.providerIds,
      enabledProviderIds: snap.enabledProviderIds,
      providersOffering: (name) => deps.store.models.providersOffering(name),
    });
    if (resolution) return resolution;
    const available = availableModelNames();
    const list = available.length > 0 ? `Available: ${available.slice(0, 30).join(', ')}${available.length > 30 ? ', …' : ''}` : 'No models are configured yet: add a provider and an alias in Switchboard';
    throw new GatewayError('model_not_found', `The model "${model}" does not exist here. ${list}`, { param: 'model' });
  }

  /** An OAuth2 account's key for one attempt: its access token now (refreshed when due). */
  function accountKey(providerId: string, pooled: PoolKey, signal: CallSignal): Promise<NonNullable<ResolvedTarget['key']>> {
    if (!deps.credentials) return Promise.reject(new GatewayError('oauth_refresh_failed', 'this gateway holds no OAuth accounts'));
    return deps.credentials.resolve(providerId, pooled, signal);
  }

  /** What one failed attempt means for its key and provider, and where the run goes next. */
  function afterFailure(provider: ProviderRecord, model: string, keyId: number | null, key: ResolvedTarget['key'], error: GatewayError, mayRetry: boolean, proxy: ChosenProxy | undefined): FailureAction | 'retry' | 'next-proxy' {
    if (keyId !== null && error.code === 'oauth_refresh_failed') {
      // The key row shows the code with the token server's reason.
      deps.keyPool.markRefreshFailed(keyId, error.retryAfterSeconds, `${error.code}: ${error.message}`);
      return 'next-key';
    }
    if (key && mayRetry && error.code === 'upstream_auth_failed' && deps.credentials) {
      deps.credentials.rejected(key.id, key.secret);
      return 'retry';
    }
    if (error.code === 'proxy_unreachable' || error.code === 'proxy_auth_failed' || error.code === 'proxy_tls_untrusted') {
      // A pool proxy rests like a key, and the same key goes again through the pool's next proxy.
      if (proxy?.poolId && deps.proxyPool) {
        deps.proxyPool.failed(proxy.poolId, error.code);
        return deps.proxyPool.hasFree(provider) ? 'next-proxy' : 'next-target';
      }
      // A key's own proxy failing spares the provider's other keys; the provider's proxy fails them all.
      return key?.proxy ? 'next-key' : 'next-target';
    }
    if (breakers && isConnectivityFailure(error)) breakers.failed(provider, error);
    const action = classifyFailure(error);
    if (action === 'fatal') return action;
    if (key && error.code === 'upstream_rate_limited') deps.keyPool.markRateLimited(key.id, model, error.retryAfterSeconds, error.message);
    // One request's rejection only starts a check of the key (routing/key-check.ts).
    if (key && error.code === 'upstream_auth_failed') deps.keyPool.reportRejected(provider.id, key.id, error.message);
    return action;
  }

  async function run<T>(
    resolution: Resolution,
    attempts: Attempt[],
    signal: CallSignal,
    call: (target: ResolvedTarget, adapter: ProviderAdapter) => Promise<T>,
    answers?: AnswerNotes,
  ): Promise<RouteSuccess<T>> {
    const snap = current();
    let lastError: GatewayError | null = null;

    for (const candidate of resolution.targets) {
      const provider = snap.providers.get(candidate.provider);
      if (!provider) {
        lastError = skipped(attempts, candidate.provider, candidate.model, new GatewayError('provider_not_found', `The alias points at provider "${candidate.provider}"`));
        continue;
      }
      if (!provider.enabled) {
        lastError = skipped(attempts, provider.id, candidate.model, new GatewayError('provider_disabled', `Provider "${provider.id}" is disabled`));
        continue;
      }
      if (breakers && !breakers.allows(provider.id)) {
        const retryAt = breakers.retryAt(provider.id);
        const seconds = retryAt === null ? undefined : Math.max(1, Math.ceil((retryAt - now()) / 1000));
        lastError = skipped(attempts, provider.id, candidate.model, new GatewayError('circuit_open', `Provider "${provider.id}" is skipped${seconds ? `; probed again in ${seconds} s` : ''}`, { retryAfterSeconds: seconds }));
        continue;
      }
      const adapter = deps.providers.adapter(provider.kind);
      if (!adapter) {
        lastError = skipped(attempts, provider.id, candidate.model, new GatewayError('unsupported_feature', `Provider kind "${provider.kind}" is not available in this build`));
        continue;
      }
      // Before any key is chosen: a name that would leave the provider's base path is the
      // client's to fix, whichever target it reached (upstream/model-name.ts).
      const badName = describeBadModelName(candidate.model, adapter.modelName);
      if (badName) throw new GatewayError('invalid_model_name', `Provider "${provider.id}": ${badName}`, { param: 'model' });
      // Shared rotation (several instances): one awaited INCR, only for pools of several keys.
      const position = deps.rotation && deps.keyPool.rotates(provider.id) ? await deps.rotation.next(provider.id) : undefined;
      const keys = deps.keyPool.healthyKeys(provider.id, candidate.model, position);
      // One round per healthy key, or one keyless round for a provider that needs no key.
      let choices = keys.length;
      if (choices === 0 && deps.providers.spoke(provider.kind)?.keyOptional) choices = 1;
      else if (choices === 0) {
        const until = deps.keyPool.exhaustedUntil(provider.id, candidate.model);
        lastError = skipped(
          attempts,
          provider.id,
          candidate.model,
          until
            ? new GatewayError('key_pool_exhausted', `All keys of "${provider.id}" rest for model "${candidate.model}" for ${Math.ceil((until - now()) / 1000)} s more`, {
                retryAfterSeconds: Math.ceil((until - now()) / 1000),
              })
            : new GatewayError('no_provider_key', `Provider "${provider.id}" has no enabled key`),
        );
        continue;
      }

      for (let choice = 0; choice < choices; choice++) {
        if (attempts.length >= MAX_ATTEMPTS) break;
        if (signal.aborted) throw signal.reason instanceof GatewayError ? signal.reason : new GatewayError('client_closed');
        const pooled = keys[choice] ?? null;
        const material = pooled?.material();
        // An OAuth2 account whose token is refused gets one more try with a refreshed token.
        let rounds = material?.type === 'oauth2' ? 2 : 1;
        let next: FailureAction | 'retry' | 'next-proxy' = 'next-key';
        while (rounds-- > 0) {
          const startedAt = now();
          let key: ResolvedTarget['key'] = null;
          let proxy: ChosenProxy | undefined;
          if (answers !== undefined) answers.upstreamProtocol = undefined;
          try {
            if (pooled && material) key = material.type === 'key' ? staticKey(pooled, material) : await accountKey(provider.id, pooled, signal);
            proxy = deps.proxies?.pick(provider, key);
            const target: ResolvedTarget = { provider, model: candidate.model, overrides: candidate.overrides, key, metadata: metadataOf(snap, resolution, provider, candidate) };
            if (proxy) target.proxy = proxy.url;
            const result = await call(target, adapter);
            attempts.push(attemptOf(provider.id, candidate.model, key?.label ?? null, 200, null, now() - startedAt, proxy, answers?.upstreamProtocol));
            if (key) deps.keyPool.markSucceeded(key.id);
            breakers?.succeeded(provider);
            return { result, target, adapter };
          } catch (thrown) {
            const error = thrown instanceof GatewayError ? thrown : new GatewayError('internal_error', undefined, { cause: thrown });
            attempts.push(attemptOf(provider.id, candidate.model, pooled?.label ?? null, error.status, error.code, now() - startedAt, proxy, answers?.upstreamProtocol));
            lastError = error;
            if (signal.aborted) throw error;
            next = afterFailure(provider, candidate.model, pooled?.id ?? null, key, error, rounds > 0, proxy);
            // The pool's next proxy: one more round for the same key (MAX_ATTEMPTS still bounds the run).
            if (next === 'next-proxy' && attempts.length < MAX_ATTEMPTS) rounds++;
            else if (next === 'next-proxy') next = 'next-target';
            if (next !== 'retry' && next !== 'next-proxy') break;
          }
        }
        if (next === 'fatal') throw lastError!;
        if (next === 'next-target') break;
      }
    }
    throw lastError ?? new GatewayError('model_not_found', 'The model has no targets', { param: 'model' });
  }

  return {
    resolve,
    run,
    invalidate() {
      snapshot = null;
    },
    availableModelNames,
    discoveredMetadata,
    unknownModelCapabilities,
  };
}

/** One attempt's history entry (the proxy's name only when it went through one; the protocol once an answer came). */
function attemptOf(
  provider: string,
  model: string,
  keyLabel: string | null,
  status: number,
  errorCode: string | null,
  durationMs: number,
  proxy: ChosenProxy | undefined,
  protocol?: UpstreamProtocol,
): Attempt {
  const attempt: Attempt = { provider, model, keyLabel, status, errorCode, durationMs };
  if (proxy) attempt.proxy = proxy.name;
  if (protocol) attempt.protocol = protocol;
  return attempt;
}

/** A target skipped before any call (missing, disabled, circuit open…): recorded, and its error is the run's last. */
function skipped(attempts: Attempt[], provider: string, model: string, error: GatewayError): GatewayError {
  attempts.push(attemptOf(provider, model, null, error.status, error.code, 0, undefined));
  return error;
}
