/**
 * The checks about what is configured: each provider reachable and each of its keys accepted
 * (a real models call), each alias resolvable, client tokens present.
 */
import type { AliasInfo } from '../domain/alias.ts';
import type { CheckResult } from '../domain/checks.ts';
import type { ProviderRecord, ProviderTestResult } from '../domain/provider.ts';
import type { Settings } from '../domain/settings.ts';
import type { Store } from '../store/types.ts';

export type TestProvider = (providerId: string, keyId?: number) => Promise<ProviderTestResult>;

/** What to do about a failed models call, by its error code. */
function fixFor(result: ProviderTestResult, provider: ProviderRecord): string {
  switch (result.errorCode) {
    case 'upstream_auth_failed':
      return `Replace this key of "${provider.id}" (Providers → ${provider.name} → Replace)`;
    case 'no_provider_key':
      return `Add a key to "${provider.id}" (Providers → ${provider.name} → Add key)`;
    case 'upstream_unreachable':
    case 'upstream_timeout':
    case 'upstream_redirect':
      return `Check the base URL ${provider.baseUrl} and your network`;
    case 'upstream_rate_limited':
      return 'Wait for the rate limit to pass, or add another key';
    default:
      return 'See docs/troubleshooting.md for this error code';
  }
}

function fromTest(id: string, title: string, result: ProviderTestResult, provider: ProviderRecord): CheckResult {
  if (result.ok) return { id, title, status: 'pass', detail: `${result.message} (${Math.round(result.latencyMs)} ms)`, fix: null };
  return { id, title, status: 'fail', detail: result.message, fix: fixFor(result, provider) };
}

export async function checkProviders(store: Store, testProvider: TestProvider): Promise<CheckResult[]> {
  const perProvider = await Promise.all(
    store.providers.list().map(async (provider): Promise<CheckResult[]> => {
      const title = `Provider ${provider.id}`;
      if (!provider.enabled) {
        return [{ id: `provider:${provider.id}`, title, status: 'warn', detail: 'Disabled: requests never reach it', fix: `Enable it in Providers, or delete it` }];
      }
      const keys = store.keys.list(provider.id).filter((key) => key.enabled);
      if (keys.length === 0) return [fromTest(`provider:${provider.id}`, title, await testProvider(provider.id), provider)];
      return Promise.all(
        keys.map(async (key) => fromTest(`key:${provider.id}:${key.id}`, `${title}, key "${key.label}" (${key.masked})`, await testProvider(provider.id, key.id), provider)),
      );
    }),
  );
  return perProvider.flat();
}

/** An alias resolves when at least one target's provider exists and is enabled. */
export function checkAliases(store: Store): CheckResult[] {
  const providers = new Map(store.providers.list().map((provider) => [provider.id, provider]));
  return store.aliases.list().map((alias: AliasInfo): CheckResult => {
    const id = `alias:${alias.alias}`;
    const title = `Alias ${alias.alias}`;
    const problems = alias.targets.flatMap((target) => {
      const provider = providers.get(target.provider);
      if (!provider) return [`provider "${target.provider}" does not exist`];
      if (!provider.enabled) return [`provider "${target.provider}" is disabled`];
      if (target.model.includes('*')) return [];
      const listed = store.models.list(provider.id);
      if (listed.length > 0 && !listed.some((model) => model.model === target.model)) return [`"${target.provider}" does not list model "${target.model}"`];
      return [];
    });
    const usable = alias.targets.length - problems.length;
    if (problems.length === 0) return { id, title, status: 'pass', detail: `${alias.targets.length} target(s), all usable`, fix: null };
    const fix = `Edit the alias in Models: ${problems.join('; ')}`;
    if (usable > 0) return { id, title, status: 'warn', detail: `${usable} of ${alias.targets.length} targets usable`, fix };
    return { id, title, status: 'fail', detail: 'No target can be used', fix };
  });
}

export function checkClientTokens(store: Store, settings: Settings): CheckResult {
  const live = store.clientTokens.list().filter((token) => token.revokedAt === null && token.managedBy !== 'dashboard');
  const title = 'Client tokens';
  if (live.length > 0) return { id: 'client-tokens', title, status: 'pass', detail: `${live.length} live token(s) for your tools`, fix: null };
  if (!settings.requireClientToken) return { id: 'client-tokens', title, status: 'warn', detail: 'No client token, and tokens are not required: any local program can use your keys', fix: 'Create a token per tool in Settings → Client tokens and turn "require client token" on' };
  return { id: 'client-tokens', title, status: 'fail', detail: 'No client token: OpenAI, Responses and Anthropic clients are all refused', fix: 'Create one in Settings → Client tokens (or list "clients" in your config file)' };
}
