import { describe, expect, it } from 'vitest';
import { findPrice } from '../../src-proxy/store/prices-repository.ts';
import { tempStore } from './helpers.ts';

describe('providers, aliases and discovered models', () => {
  it('keeps stored provider fields an update leaves out', () => {
    const { store } = tempStore();
    store.providers.create({ id: 'or', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', name: 'OpenRouter', headers: { 'X-Title': 'Switchboard' }, enabled: false });
    const updated = store.providers.update('or', { baseUrl: 'https://openrouter.ai/api/v2' });
    expect(updated).toMatchObject({ name: 'OpenRouter', headers: { 'X-Title': 'Switchboard' }, enabled: false, baseUrl: 'https://openrouter.ai/api/v2', managedBy: null });
  });

  it('refuses to create a provider whose id exists, and to update one that does not', () => {
    const { store } = tempStore();
    store.providers.create({ id: 'or', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1' });
    expect(() => store.providers.create({ id: 'or', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' })).toThrow(expect.objectContaining({ code: 'already_exists', param: 'id', status: 409 }));
    expect(store.providers.get('or')?.kind).toBe('openai');
    expect(() => store.providers.update('nope', { name: 'x' })).toThrow(expect.objectContaining({ code: 'provider_not_found' }));
  });

  it('renames a provider with its keys, discovered models, overrides and alias targets', () => {
    const { store } = tempStore();
    store.providers.create({ id: 'or', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', name: 'OpenRouter' });
    store.providers.create({ id: 'other', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    const key = store.keys.add('or', 'sk-or-0123456789abcdef');
    store.models.replace('or', [{ model: 'qwen', metadata: {} }], 1);
    store.models.setMetadata('or', 'qwen', { contextWindow: 1000 });
    store.aliases.create({ alias: 'coder', targets: [{ provider: 'or', model: 'qwen' }, { provider: 'other', model: 'gpt' }] });
    const renamed = store.providers.update('or', { newId: 'openrouter', name: 'OpenRouter (work)' });
    expect(renamed).toMatchObject({ id: 'openrouter', name: 'OpenRouter (work)', baseUrl: 'https://openrouter.ai/api/v1' });
    expect(store.providers.get('or')).toBeNull();
    expect(store.keys.list('openrouter').map((k) => k.id)).toEqual([key.id]);
    expect(store.keys.secretsFor('openrouter')[0]?.reveal()).toBe('sk-or-0123456789abcdef');
    expect(store.models.list('openrouter')).toMatchObject([{ model: 'qwen', metadata: { contextWindow: 1000 } }]);
    expect(store.aliases.get('coder')?.targets).toEqual([{ provider: 'openrouter', model: 'qwen' }, { provider: 'other', model: 'gpt' }]);
    expect(() => store.providers.update('openrouter', { newId: 'other' })).toThrow(expect.objectContaining({ code: 'already_exists', param: 'newId' }));
    expect(store.providers.get('openrouter')?.name).toBe('OpenRouter (work)');
  });

  it('keeps alias targets in the order given and replaces them on update', () => {
    const { store } = tempStore();
    store.aliases.create({ alias: 'coder', targets: [{ provider: 'a', model: 'm1' }, { provider: 'b', model: 'm2', overrides: { maxTokens: 100 } }] });
    expect(store.aliases.get('coder')?.targets).toEqual([{ provider: 'a', model: 'm1' }, { provider: 'b', model: 'm2', overrides: { maxTokens: 100 } }]);
    expect(() => store.aliases.create({ alias: 'coder', targets: [{ provider: 'x', model: 'y' }] })).toThrow(expect.objectContaining({ code: 'already_exists', param: 'alias' }));
    store.aliases.update('coder', { targets: [{ provider: 'b', model: 'm2' }] });
    expect(store.aliases.list()).toMatchObject([{ alias: 'coder', exposed: true, targets: [{ provider: 'b', model: 'm2' }] }]);
    expect(store.aliases.delete('coder')).toBe(true);
    expect(store.aliases.get('coder')).toBeNull();
  });

  it('renames an alias with its targets, and refuses a name that is taken', () => {
    const { store } = tempStore();
    store.aliases.create({ alias: 'coder', targets: [{ provider: 'a', model: 'm1' }, { provider: 'b', model: 'm2' }], exposed: false });
    store.aliases.create({ alias: 'fast', targets: [{ provider: 'a', model: 'm3' }] });
    expect(store.aliases.update('coder', { newAlias: 'code' })).toMatchObject({ alias: 'code', exposed: false, targets: [{ provider: 'a', model: 'm1' }, { provider: 'b', model: 'm2' }] });
    expect(store.aliases.get('coder')).toBeNull();
    expect(() => store.aliases.update('code', { newAlias: 'fast', exposed: true })).toThrow(expect.objectContaining({ code: 'already_exists', param: 'newAlias' }));
    expect(store.aliases.get('code')?.exposed).toBe(false);
  });

  it('replaces a provider\'s discovered models but keeps the user\'s metadata overrides', () => {
    const { store } = tempStore();
    store.providers.create({ id: 'ollama', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' });
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
