import { describe, expect, it } from 'vitest';
import type { AliasInfo } from '../../src-proxy/control/contract.ts';
import { familyDefaults, modelStem } from '../../src-proxy/domain/model-families.ts';
import { mergeModelMetadata } from '../../src-proxy/domain/metadata-layers.ts';
import { resolveModel, type ResolveInput } from '../../src-proxy/routing/resolve-model.ts';

describe('built-in model family defaults', () => {
  it.each([
    ['gpt-4o-mini', 128_000, ['completion', 'tools', 'vision']],
    ['gpt-4.1', 1_047_576, ['completion', 'tools', 'vision']],
    ['gpt-5-mini', 400_000, ['completion', 'tools', 'vision', 'thinking']],
    ['o4-mini', 200_000, ['completion', 'tools', 'vision', 'thinking']],
    ['openrouter/anthropic/claude-sonnet-4.5', 200_000, ['completion', 'tools', 'vision', 'thinking']],
    ['claude-3-5-haiku-latest', 200_000, ['completion', 'tools', 'vision']],
    ['models/gemini-2.5-pro', 1_048_576, ['completion', 'tools', 'vision', 'thinking']],
    ['llama3.1:8b', 131_072, ['completion', 'tools']],
    ['qwen2.5-coder:7b', 32_768, ['completion', 'tools', 'insert']],
    ['deepseek-r1:14b', 131_072, ['completion', 'tools', 'thinking']],
    ['mistral-large-latest', 131_072, ['completion', 'tools']],
    ['nomic-embed-text:latest', 8_192, ['embedding']],
  ])('knows %s', (model, contextWindow, capabilities) => {
    expect(familyDefaults(model)).toMatchObject({ contextWindow, capabilities });
  });

  it('knows nothing about unknown families and strips vendor prefixes and tags', () => {
    expect(familyDefaults('my-finetune')).toEqual({});
    expect(modelStem('openrouter/meta-llama/Llama-3.3-70B:free')).toBe('llama-3.3-70b');
  });

  it('layers alias metadata over discovered metadata over family defaults, field by field', () => {
    const merged = mergeModelMetadata({ alias: { contextWindow: 50_000 }, discovered: { capabilities: ['completion'] }, upstreamModel: 'gpt-4o' });
    expect(merged).toEqual({ family: 'gpt', contextWindow: 50_000, maxOutputTokens: 16_384, capabilities: ['completion'] });
    expect(mergeModelMetadata({ upstreamModel: 'unknown-thing', requestedName: 'claude-x' }).family).toBe('claude');
  });
});

describe('Ollama-style :latest names in model resolution', () => {
  const alias = (name: string): AliasInfo => ({ alias: name, targets: [{ provider: 'p', model: `${name}-up` }], rules: [], exposed: true, metadata: {}, cache: null, createdAt: 0, updatedAt: 0, managedBy: null });
  const input = (offering: Record<string, string[]> = {}): ResolveInput => ({
    aliases: new Map([['coder', alias('coder')], ['pinned:latest', alias('pinned:latest')]]),
    wildcards: [],
    providerIds: new Set(['p', 'ollama']),
    enabledProviderIds: new Set(['p', 'ollama']),
    providersOffering: (model) => offering[model] ?? [],
  });

  it('resolves alias:latest to the alias, and an alias defined with the tag as itself', () => {
    expect(resolveModel('coder:latest', input())?.alias?.alias).toBe('coder');
    expect(resolveModel('pinned:latest', input())?.alias?.alias).toBe('pinned:latest');
  });

  it('keeps the tag for models a provider lists with it and drops it for the others', () => {
    const offering = { 'llama3.2:latest': ['ollama'], 'fake-large': ['p'] };
    expect(resolveModel('ollama/llama3.2:latest', input(offering))?.targets).toEqual([{ provider: 'ollama', model: 'llama3.2:latest' }]);
    expect(resolveModel('llama3.2:latest', input(offering))?.targets).toEqual([{ provider: 'ollama', model: 'llama3.2:latest' }]);
    expect(resolveModel('p/fake-large:latest', input(offering))?.targets).toEqual([{ provider: 'p', model: 'fake-large' }]);
    expect(resolveModel('fake-large:latest', input(offering))?.targets).toEqual([{ provider: 'p', model: 'fake-large' }]);
    expect(resolveModel('nothing:latest', input(offering))).toBeNull();
  });
});
