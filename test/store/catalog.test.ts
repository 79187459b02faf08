import { describe, expect, it } from 'vitest';
import { findPrice } from '../../src-proxy/store/prices-repository.ts';
import { tempStore } from './helpers.ts';

describe('providers, aliases and discovered models', () => {
  it('keeps stored provider fields a later upsert leaves out', () => {
    const { store } = tempStore();
    store.providers.upsert({ id: 'or', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', name: 'OpenRouter', headers: { 'X-Title': 'Switchboard' }, enabled: false });
    const updated = store.providers.upsert({ id: 'or', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v2' });
    expect(updated).toMatchObject({ name: 'OpenRouter', headers: { 'X-Title': 'Switchboard' }, enabled: false, baseUrl: 'https://openrouter.ai/api/v2' });
  });

  it('keeps alias targets in the order given and replaces them on upsert', () => {
    const { store } = tempStore();
    store.aliases.upsert({ alias: 'coder', targets: [{ provider: 'a', model: 'm1' }, { provider: 'b', model: 'm2', overrides: { maxTokens: 100 } }] });
    expect(store.aliases.get('coder')?.targets).toEqual([{ provider: 'a', model: 'm1' }, { provider: 'b', model: 'm2', overrides: { maxTokens: 100 } }]);
    store.aliases.upsert({ alias: 'coder', targets: [{ provider: 'b', model: 'm2' }] });
    expect(store.aliases.list()).toMatchObject([{ alias: 'coder', exposed: true, targets: [{ provider: 'b', model: 'm2' }] }]);
    expect(store.aliases.delete('coder')).toBe(true);
    expect(store.aliases.get('coder')).toBeNull();
  });

  it('replaces a provider\'s discovered models but keeps the user\'s metadata overrides', () => {
    const { store } = tempStore();
    store.providers.upsert({ id: 'ollama', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' });
    store.models.replace('ollama', [{ model: 'qwen3:8b', metadata: { contextWindow: 4096 } }], 1);
    store.models.setMetadata('ollama', 'qwen3:8b', { contextWindow: 32768 });
    store.models.replace('ollama', [{ model: 'qwen3:8b', metadata: { contextWindow: 4096, family: 'qwen3' } }, { model: 'llama3' , metadata: {} }], 2);
    expect(store.models.list('ollama')).toEqual([
      { providerId: 'ollama', model: 'llama3', address: 'ollama/llama3', metadata: {}, discoveredAt: 2 },
      { providerId: 'ollama', model: 'qwen3:8b', address: 'ollama/qwen3:8b', metadata: { contextWindow: 32768, family: 'qwen3' }, discoveredAt: 2 },
    ]);
    expect(store.models.providersOffering('llama3')).toEqual(['ollama']);
  });
});

describe('prices', () => {
  const prices = [
    { model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 },
    { model: 'gpt-4o-*', inputPerMillion: 3, outputPerMillion: 11 },
    { model: 'gpt-4o-mini-*', inputPerMillion: 0.15, outputPerMillion: 0.6 },
  ];
  it.each([
    ['gpt-4o', 2.5],
    ['gpt-4o-2024-08-06', 3],
    ['gpt-4o-mini-2024-07-18', 0.15],
    ['openai/gpt-4o', 2.5],
    ['llama3', null],
  ])('prices %s at %s per million input tokens (exact beats pattern, longest pattern wins)', (model, input) => {
    expect(findPrice(prices, model)?.inputPerMillion ?? null).toBe(input);
  });
});
