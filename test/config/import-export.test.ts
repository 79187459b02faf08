import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src-proxy/config/config-error.ts';
import { exportConfig } from '../../src-proxy/config/export-config.ts';
import { applyConfig } from '../../src-proxy/config/apply-config.ts';
import { parseConfig } from '../../src-proxy/config/schema.ts';
import { parseTargetAddress } from '../../src-proxy/config/target-address.ts';
import type { SwitchboardConfig } from '../../src-proxy/control/contract.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { tempStore } from '../store/helpers.ts';
import { createProviderCatalog } from '../../src-proxy/providers/registry.ts';

const PROVIDERS = createProviderCatalog();

const KEY = 'sk-or-v1-CANARY0123456789abcdef';
const TOKEN = 'sb-config-token-0123456789';

const CONFIG: SwitchboardConfig = parseConfig({
  providers: [
    { id: 'openrouter', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', keys: [KEY], headers: { 'X-Title': 'Switchboard', Authorization: 'Bearer hdr-secret-123456' }, name: 'OpenRouter' },
    { id: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434', enabled: true },
  ],
  models: [
    { alias: 'coder', targets: ['openrouter/qwen/qwen3-coder', { provider: 'openrouter', model: 'openai/gpt-4o', overrides: { maxTokens: 4096 } }], exposed: true, metadata: { contextWindow: 262144 } },
    { alias: 'fast', targets: ['local/llama3'] },
  ],
  clients: [{ name: 'my-ide', token: TOKEN }],
  settings: { requireClientToken: true, recordBodies: true },
  prices: [{ model: 'qwen/qwen3-coder', inputPerMillion: 0.2, outputPerMillion: 0.8 }],
});

const importConfig = (store: Store, config: SwitchboardConfig, file: string | null = null, providers?: typeof PROVIDERS) =>
  applyConfig(store, config, { mode: 'merge', file, providers });

/** Everything a user sees in the store, for before/after comparisons. */
function snapshot(store: Store): unknown {
  return {
    providers: store.providers.list(),
    keys: store.keys.list(),
    aliases: store.aliases.list(),
    clients: store.clientTokens.list(),
    settings: store.settings.get(),
    prices: store.prices.list(),
  };
}

describe('config import and export', () => {
  it('splits target strings at the first slash only', () => {
    expect(parseTargetAddress('openrouter/anthropic/claude-sonnet-4')).toEqual({ provider: 'openrouter', model: 'anthropic/claude-sonnet-4' });
    expect(parseTargetAddress('nomodel/')).toBeNull();
    expect(parseTargetAddress('/model')).toBeNull();
  });

  it('imports providers, keys, aliases, clients, settings and prices', () => {
    const { store } = tempStore();
    const summary = importConfig(store, CONFIG, null, PROVIDERS);
    expect(summary).toMatchObject({
      providers: { added: ['openrouter', 'local'], changed: [], removed: [] },
      aliases: { added: ['coder', 'fast'], changed: [], removed: [] },
      clients: { added: ['my-ide'], changed: [], removed: [] },
      keys: { added: 1, removed: 0 },
      settings: ['recordBodies'],
      prices: 1,
      createdTokens: [],
      dryRun: false,
    });
    expect(store.keys.secretsFor('openrouter').map((k) => k.reveal())).toEqual([KEY]);
    expect(store.aliases.get('coder')?.targets).toEqual([
      { provider: 'openrouter', model: 'qwen/qwen3-coder' },
      { provider: 'openrouter', model: 'openai/gpt-4o', overrides: { maxTokens: 4096 } },
    ]);
    expect(store.clientTokens.verify(TOKEN)?.name).toBe('my-ide');
    expect(store.settings.get().recordBodies).toBe(true);
    expect(store.prices.list()).toContainEqual({ model: 'qwen/qwen3-coder', inputPerMillion: 0.2, outputPerMillion: 0.8 });
  });

  it('is idempotent: importing the same file twice adds no duplicate keys', () => {
    const { store } = tempStore();
    importConfig(store, CONFIG, null, PROVIDERS);
    const second = importConfig(store, CONFIG, null, PROVIDERS);
    expect(second.keys).toEqual({ added: 0, removed: 0 });
    expect(second.providers).toEqual({ added: [], changed: [], removed: [] });
    expect(store.keys.list()).toHaveLength(1);
    expect(store.clientTokens.list()).toHaveLength(1);
  });

  it('imports nothing when any part of the config fails', () => {
    const { store } = tempStore();
    store.providers.create({ id: 'existing', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    const before = snapshot(store);
    const bad = parseConfig({
      providers: [{ id: 'openrouter', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', keys: [KEY] }],
      clients: [{ name: 'a', token: 'same-token-0123456789' }, { name: 'b', token: 'same-token-0123456789' }],
    });
    expect(() => importConfig(store, bad, 'bad.json', PROVIDERS)).toThrow(/bad\.json[\s\S]*clients\[1\]/);
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses a target whose provider is neither in the file nor in the store, naming the path', () => {
    const { store } = tempStore();
    const config = parseConfig({ models: [{ alias: 'x', targets: ['ghost/model'] }] });
    let caught: unknown;
    try {
      importConfig(store, config, 'cfg.json', PROVIDERS);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain('cfg.json');
    expect((caught as ConfigError).issues).toEqual([{ path: 'models[0].targets[0]', message: expect.stringContaining('"ghost"') }]);
    expect(store.aliases.list()).toEqual([]);
  });

  it('accepts a target whose provider is already configured in the store', () => {
    const { store } = tempStore();
    store.providers.create({ id: 'existing', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    importConfig(store, parseConfig({ models: [{ alias: 'x', targets: ['existing/gpt-4o'] }] }), null, PROVIDERS);
    expect(store.aliases.get('x')?.targets).toEqual([{ provider: 'existing', model: 'gpt-4o' }]);
  });

  it('exports without secrets: no keys, tokens or credential headers, and no masked values', () => {
    const { store } = tempStore();
    importConfig(store, CONFIG, null, PROVIDERS);
    const exported = exportConfig(store);
    const text = JSON.stringify(exported);
    for (const secret of [KEY, TOKEN, 'hdr-secret-123456', '…']) expect(text).not.toContain(secret);
    expect(exported.providers?.[0]).not.toHaveProperty('keys');
    expect(exported.providers?.[0]?.headers).toEqual({ 'X-Title': 'Switchboard' });
    expect(exported.clients).toEqual([{ name: 'my-ide' }]);
  });

  it('round-trips an export without secrets through import into a fresh store', () => {
    const { store } = tempStore();
    importConfig(store, CONFIG, null, PROVIDERS);
    const exported = exportConfig(store);
    const { store: fresh } = tempStore();
    importConfig(fresh, parseConfig(JSON.parse(JSON.stringify(exported))), null, PROVIDERS);
    expect(fresh.aliases.list().map(({ createdAt: _c, updatedAt: _u, ...alias }) => alias)).toEqual(
      store.aliases.list().map(({ createdAt: _c, updatedAt: _u, ...alias }) => alias),
    );
    expect(fresh.keys.list()).toEqual([]);
    expect(fresh.clientTokens.list().map((t) => t.name)).toEqual(['my-ide']);
    expect(exportConfig(fresh)).toEqual(exported);
  });

  it('round-trips an export with secrets, keys and tokens included', () => {
    const { store } = tempStore();
    importConfig(store, CONFIG, null, PROVIDERS);
    const exported = exportConfig(store, { includeSecrets: true });
    expect(exported.providers?.[0]?.keys).toEqual([KEY]);
    expect(exported.clients).toEqual([{ name: 'my-ide', token: TOKEN }]);

    const { store: fresh } = tempStore();
    importConfig(fresh, parseConfig(JSON.parse(JSON.stringify(exported))), null, PROVIDERS);
    expect(fresh.keys.secretsFor('openrouter').map((k) => k.reveal())).toEqual([KEY]);
    expect(fresh.clientTokens.verify(TOKEN)?.name).toBe('my-ide');
    expect(exportConfig(fresh, { includeSecrets: true })).toEqual(exported);
  });
});
