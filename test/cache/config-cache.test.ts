import { describe, expect, it } from 'vitest';
import { exportConfig } from '../../src-proxy/config/export-config.ts';
import { applyConfig } from '../../src-proxy/config/apply-config.ts';
import { parseConfig } from '../../src-proxy/config/schema.ts';
import { ConfigError } from '../../src-proxy/config/config-error.ts';
import { createProviderCatalog } from '../../src-proxy/providers/registry.ts';
import { tempStore } from '../store/helpers.ts';

describe('an alias\'s cache in the config file', () => {
  it('is read from models[].cache and written back on export', () => {
    const { store } = tempStore();
    const config = parseConfig({
      providers: [{ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' }],
      models: [
        { alias: 'cached', targets: ['openai/gpt-4o'], cache: { ttlSeconds: 3600 } },
        { alias: 'fresh', targets: ['openai/gpt-4o'] },
      ],
      settings: { cache: { maxMb: 64 } },
    });
    applyConfig(store, config, { mode: 'merge', providers: createProviderCatalog() });
    expect(store.aliases.get('cached')!.cache).toEqual({ ttlSeconds: 3600 });
    expect(store.aliases.get('fresh')!.cache).toBeNull();
    expect(store.settings.get().cache).toEqual({ maxMb: 64 });
    const exported = exportConfig(store);
    expect(exported.models).toEqual([
      { alias: 'cached', targets: ['openai/gpt-4o'], exposed: true, cache: { ttlSeconds: 3600 } },
      { alias: 'fresh', targets: ['openai/gpt-4o'], exposed: true },
    ]);
  });

  it('refuses a TTL that is not a positive whole number of seconds, naming the field', () => {
    const parse = () => parseConfig({ models: [{ alias: 'a', targets: ['openai/gpt-4o'], cache: { ttlSeconds: 0 } }] });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/models\[0\]\.cache\.ttlSeconds/);
  });
});
