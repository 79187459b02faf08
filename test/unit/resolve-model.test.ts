import { describe, expect, it } from 'vitest';
import type { AliasInfo } from '../../src-proxy/control/contract.ts';
import { resolveModel, sortWildcards, wildcardMatch, type ResolveInput } from '../../src-proxy/routing/resolve-model.ts';
import { classifyFailure } from '../../src-proxy/routing/router.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';

const alias = (name: string, ...targets: string[]): AliasInfo => ({
  alias: name,
  targets: targets.map((t) => ({ provider: t.slice(0, t.indexOf('/')), model: t.slice(t.indexOf('/') + 1) })),
  rules: [],
  exposed: true,
  metadata: {},
  cache: null,
  createdAt: 0,
  updatedAt: 0,
  managedBy: null,
});

function input(aliases: AliasInfo[], offering: Record<string, string[]> = {}, providers = ['openrouter', 'groq', 'local']): ResolveInput {
  return {
    aliases: new Map(aliases.filter((a) => !a.alias.includes('*')).map((a) => [a.alias, a])),
    wildcards: sortWildcards(aliases.filter((a) => a.alias.includes('*'))),
    providerIds: new Set(providers),
    enabledProviderIds: new Set(providers.filter((p) => p !== 'local')),
    providersOffering: (model) => offering[model] ?? [],
  };
}

describe('model resolution', () => {
  it('prefers an exact alias over every other rule', () => {
    const result = resolveModel('coder', input([alias('coder', 'openrouter/qwen/qwen3-coder', 'groq/llama'), alias('c*', 'groq/x')]));
    expect(result).toMatchObject({ via: 'alias', targets: [{ provider: 'openrouter', model: 'qwen/qwen3-coder' }, { provider: 'groq', model: 'llama' }] });
  });

  it('matches the most specific wildcard and substitutes the captured text into target models', () => {
    const aliases = [alias('claude-*', 'openrouter/anthropic/claude-*'), alias('claude-opus-*', 'groq/big-model')];
    expect(resolveModel('claude-sonnet-4-6', input(aliases))).toMatchObject({ via: 'wildcard', targets: [{ provider: 'openrouter', model: 'anthropic/claude-sonnet-4-6' }] });
    expect(resolveModel('claude-opus-5-5', input(aliases))).toMatchObject({ via: 'wildcard', targets: [{ provider: 'groq', model: 'big-model' }] });
  });

  it('splits explicit provider addresses at the first slash', () => {
    expect(resolveModel('openrouter/anthropic/claude-sonnet-4', input([]))).toMatchObject({ via: 'address', targets: [{ provider: 'openrouter', model: 'anthropic/claude-sonnet-4' }] });
  });

  it('does not treat an unknown first segment as a provider', () => {
    expect(resolveModel('meta-llama/Llama-3', input([]))).toBeNull();
  });

  it('uses a discovered model that exactly one enabled provider lists', () => {
    expect(resolveModel('gpt-4o', input([], { 'gpt-4o': ['openrouter'] }))).toMatchObject({ via: 'discovered', targets: [{ provider: 'openrouter', model: 'gpt-4o' }] });
    expect(resolveModel('gpt-4o', input([], { 'gpt-4o': ['local'] }))).toBeNull();
  });

  it('refuses a model two enabled providers offer, naming them', () => {
    expect(() => resolveModel('llama', input([], { llama: ['openrouter', 'groq'] }))).toThrow(/openrouter, groq/);
  });

  it('matches wildcards with several stars and literal regex characters', () => {
    expect(wildcardMatch('gpt-*', 'gpt-4.1')).toBe('4.1');
    expect(wildcardMatch('a.*.b*', 'a.x.b.y')).toBe('x');
    expect(wildcardMatch('gpt-*', 'claude')).toBeNull();
  });
});

describe('failure classification for fallback', () => {
  it.each([
    ['upstream_rate_limited', 'next-key'],
    ['upstream_auth_failed', 'next-key'],
    ['upstream_unreachable', 'next-target'],
    ['upstream_timeout', 'next-target'],
    ['upstream_error', 'next-target'],
    ['invalid_request', 'fatal'],
    ['model_not_found', 'fatal'],
    ['unsupported_feature', 'fatal'],
  ] as const)('%s → %s', (code, action) => {
    expect(classifyFailure(new GatewayError(code))).toBe(action);
  });
});
