import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src-proxy/config/apply-config.ts';
import { describeChanges } from '../../src-proxy/config/describe-changes.ts';
import { exportConfig } from '../../src-proxy/config/export-config.ts';
import { parseConfig } from '../../src-proxy/config/schema.ts';
import type { SwitchboardConfig } from '../../src-proxy/control/contract.ts';
import { dashboardClientToken } from '../../src-proxy/control/dashboard-client-token.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { tempStore } from '../store/helpers.ts';

const OLD_KEY = 'sk-old-0123456789abcdef';
const NEW_KEY = 'sk-new-0123456789abcdef';
const FILE = '/home/me/my.json';

function fileConfig(overrides: Partial<SwitchboardConfig> = {}): SwitchboardConfig {
  return parseConfig({
    providers: [
      { id: 'openrouter', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', keys: [OLD_KEY] },
      { id: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11435' },
    ],
    models: [
      { alias: 'coder', targets: ['openrouter/qwen/qwen3-coder', 'local/qwen3'] },
      { alias: 'old', targets: ['local/llama3'] },
    ],
    clients: [{ name: 'my-ide', token: 'sb-my-ide-token-0123456789' }],
    ...overrides,
  });
}

const declare = (store: Store, config: SwitchboardConfig) => applyConfig(store, config, { mode: 'declarative', file: FILE });

/** A provider, alias and token the user made in the dashboard. */
function addUiEntities(store: Store): void {
  store.providers.create({ id: 'mine', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
  store.keys.add('mine', 'sk-mine-0123456789abcdef');
  store.aliases.create({ alias: 'ui-alias', targets: [{ provider: 'mine', model: 'gpt-4o' }] });
  store.clientTokens.create('ui-token');
}

describe('a config file given to serve is declarative', () => {
  it('adds what the file declares and marks it as the file\'s', () => {
    const { store } = tempStore();
    const changes = declare(store, fileConfig());
    expect(changes.providers.added).toEqual(['openrouter', 'local']);
    expect(store.providers.list().map((p) => p.managedBy)).toEqual(['config', 'config']);
    expect(store.aliases.list().map((a) => a.managedBy)).toEqual(['config', 'config']);
    expect(store.keys.list('openrouter')).toMatchObject([{ managedBy: 'config', label: 'config key 1' }]);
    expect(store.clientTokens.list()).toMatchObject([{ name: 'my-ide', managedBy: 'config' }]);
    expect(store.appState.get('configFile')).toBe(FILE);
  });

  it('removes what the file no longer declares at the next start (an alias is no longer served)', () => {
    const { store } = tempStore();
    declare(store, fileConfig());
    const changes = declare(store, fileConfig({ models: [{ alias: 'coder', targets: ['openrouter/qwen/qwen3-coder'] }], clients: [] }));
    expect(changes.aliases).toEqual({ added: [], changed: ['coder'], removed: ['old'] });
    expect(changes.clients.removed).toEqual(['my-ide']);
    expect(store.aliases.get('old')).toBeNull();
    expect(store.aliases.get('coder')?.targets).toEqual([{ provider: 'openrouter', model: 'qwen/qwen3-coder' }]);
    expect(store.clientTokens.verify('sb-my-ide-token-0123456789')).toBeNull();
  });

  it('replaces the file\'s previous keys with its new ones instead of adding beside them', () => {
    const { store } = tempStore();
    declare(store, fileConfig());
    const uiKey = store.keys.add('openrouter', 'sk-added-in-ui-0123456789');
    const changes = declare(store, fileConfig({ providers: [{ id: 'openrouter', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', keys: [NEW_KEY] }, { id: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11435' }] }));
    expect(changes.keys).toEqual({ added: 1, removed: 1 });
    const secrets = store.keys.secretsFor('openrouter').map((key) => key.reveal());
    expect(secrets).toEqual(['sk-added-in-ui-0123456789', NEW_KEY]);
    expect(store.keys.get(uiKey.id)?.managedBy).toBeNull();
  });

  it('keeps an unchanged key with its health and use stats, and reports no changes', () => {
    const { store } = tempStore();
    declare(store, fileConfig());
    const [key] = store.keys.list('openrouter');
    store.keys.recordUse(key!.id, 1234);
    const changes = declare(store, fileConfig());
    expect(describeChanges(changes)).toBe('no changes');
    expect(store.keys.get(key!.id)?.lastUsedAt).toBe(1234);
  });

  it('sets changed fields back to the file\'s, with its defaults for what it leaves out', () => {
    const { store } = tempStore();
    declare(store, fileConfig());
    store.providers.update('openrouter', { name: 'Edited in the UI', baseUrl: 'https://example.com/v1', enabled: false });
    const changes = declare(store, fileConfig());
    expect(changes.providers.changed).toEqual(['openrouter']);
    expect(store.providers.get('openrouter')).toMatchObject({ name: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1', enabled: true });
  });

  it('never touches what was created in the dashboard', () => {
    const { store } = tempStore();
    addUiEntities(store);
    const dashboard = dashboardClientToken(store);
    declare(store, fileConfig());
    declare(store, fileConfig({ providers: [], models: [], clients: [] }));
    expect(store.providers.list().map((p) => p.id)).toEqual(['mine']);
    expect(store.keys.list('mine')).toHaveLength(1);
    expect(store.aliases.list().map((a) => a.alias)).toEqual(['ui-alias']);
    expect(store.clientTokens.list().filter((t) => t.revokedAt === null).map((t) => t.name).sort()).toEqual(['dashboard', 'ui-token']);
    expect(store.clientTokens.verify(dashboard.token)?.name).toBe('dashboard');
  });

  it('adopts an entity it declares that already exists (a store that imported the file before)', () => {
    const { store } = tempStore();
    applyConfig(store, fileConfig(), { mode: 'merge' });
    expect(store.providers.get('openrouter')?.managedBy).toBeNull();
    const changes = declare(store, fileConfig());
    expect(changes.providers.changed).toEqual(['openrouter', 'local']);
    expect(store.providers.get('openrouter')?.managedBy).toBe('config');
    expect(store.keys.list('openrouter')).toMatchObject([{ managedBy: 'config' }]);
    // Now the file owns it, so removing it from the file removes it.
    declare(store, fileConfig({ providers: [{ id: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11435' }], models: [] }));
    expect(store.providers.get('openrouter')).toBeNull();
  });

  it('changes nothing when any part fails, and refuses targets at providers it is about to remove', () => {
    const { store } = tempStore();
    declare(store, fileConfig());
    const before = JSON.stringify(exportConfig(store, { includeSecrets: true }));
    expect(() => declare(store, fileConfig({ providers: [], models: [{ alias: 'coder', targets: ['openrouter/x'] }] }))).toThrow(/models\[0\]\.targets\[0\]/);
    expect(JSON.stringify(exportConfig(store, { includeSecrets: true }))).toBe(before);
  });

  it('summarises the changes in one line', () => {
    const { store } = tempStore();
    expect(describeChanges(declare(store, fileConfig()))).toBe('2 providers added (openrouter, local); 2 aliases added (coder, old); 1 client added (my-ide); 1 key added');
  });
});

describe('the raw editor (replace) and import (merge)', () => {
  it('replace removes what the text does not list, but keeps keys and hidden credential headers', () => {
    const { store } = tempStore();
    addUiEntities(store);
    store.providers.update('mine', { headers: { Authorization: 'Bearer hidden-header-0123456', 'X-Title': 'Switchboard' } });
    const text = exportConfig(store);
    const edited = { ...text, models: [], clients: [], providers: text.providers?.map((p) => ({ ...p, name: 'Renamed', headers: { 'X-Title': 'New' } })) };
    const changes = applyConfig(store, parseConfig(edited), { mode: 'replace' });
    expect(changes.aliases.removed).toEqual(['ui-alias']);
    expect(changes.clients.removed).toEqual(['ui-token']);
    expect(store.providers.get('mine')).toMatchObject({ name: 'Renamed', headers: { Authorization: 'Bearer hidden-header-0123456', 'X-Title': 'New' } });
    expect(store.keys.list('mine')).toHaveLength(1);
  });

  it('replace keeps the dashboard\'s own token even though the text never lists it', () => {
    const { store } = tempStore();
    const dashboard = dashboardClientToken(store);
    applyConfig(store, parseConfig({ clients: [] }), { mode: 'replace' });
    expect(store.clientTokens.verify(dashboard.token)).not.toBeNull();
  });

  it('a dry run reports the changes and makes none', () => {
    const { store } = tempStore();
    addUiEntities(store);
    const before = JSON.stringify(exportConfig(store, { includeSecrets: true }));
    const changes = applyConfig(store, parseConfig({ clients: [{ name: 'new-client' }] }), { mode: 'replace', dryRun: true });
    expect(changes).toMatchObject({ dryRun: true, providers: { removed: ['mine'] }, clients: { added: ['new-client'], removed: ['ui-token'] }, createdTokens: [] });
    expect(JSON.stringify(exportConfig(store, { includeSecrets: true }))).toBe(before);
  });

  it('merge never removes, and reports a generated token once', () => {
    const { store } = tempStore();
    addUiEntities(store);
    const changes = applyConfig(store, parseConfig({ clients: [{ name: 'cli' }] }), { mode: 'merge' });
    expect(changes.providers.removed).toEqual([]);
    expect(changes.createdTokens).toEqual([{ name: 'cli', token: expect.stringMatching(/^sb-/) }]);
    expect(store.clientTokens.verify(changes.createdTokens[0]!.token)?.name).toBe('cli');
    expect(store.providers.get('mine')).not.toBeNull();
  });
});
