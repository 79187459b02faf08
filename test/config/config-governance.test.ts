/**
 * Governance from the config file: the README's example (a client's switch, expiry, allowed
 * models and limits, a provider's pacing limits, the Ollama lane and the pacing wait) applies,
 * re-applies as "no changes", leaves what the file does not say as the dashboard set it, and
 * exports back.
 */
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src-proxy/config/apply-config.ts';
import { describeChanges } from '../../src-proxy/config/describe-changes.ts';
import { exportConfig } from '../../src-proxy/config/export-config.ts';
import { ConfigError } from '../../src-proxy/config/config-error.ts';
import { parseConfig } from '../../src-proxy/config/schema.ts';
import { tempStore } from '../store/helpers.ts';

const EXAMPLE = {
  providers: [{ id: 'openrouter', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', limits: { rpm: 500, tpm: 2_000_000, concurrency: 32 } }],
  models: [{ alias: 'coder', targets: ['openrouter/qwen/qwen3-coder'] }],
  clients: [
    {
      name: 'ci-bot',
      token: 'sb-a-long-random-string-of-your-choice',
      enabled: true,
      expiresAt: '2027-01-01T00:00:00Z',
      models: ['coder', 'claude-*'],
      limits: { rpm: 60, tpm: 200000, concurrency: 4, maxRequests: 10000, dailyBudgetUsd: 5, monthlyBudgetUsd: 50 },
    },
    { name: 'plain' },
  ],
  settings: { ollamaLane: { limits: { rpm: 120, concurrency: 8 } }, pacingMaxWaitMs: 20_000 },
};

const declare = (store: ReturnType<typeof tempStore>['store'], config: unknown) => applyConfig(store, parseConfig(config), { mode: 'declarative', file: '/etc/switchboard.json' });

describe('governance in the config file', () => {
  it("applies the README's example: client governance, provider pacing, the Ollama lane", () => {
    const { store } = tempStore();
    const changes = declare(store, EXAMPLE);
    expect(changes.clients.added).toEqual(['ci-bot', 'plain']);
    const bot = store.clientTokens.list().find((token) => token.name === 'ci-bot');
    expect(bot).toMatchObject({ enabled: true, expiresAt: Date.UTC(2027, 0, 1), models: ['coder', 'claude-*'], limits: EXAMPLE.clients[0]!.limits });
    expect(store.clientTokens.list().find((token) => token.name === 'plain')).toMatchObject({ enabled: true, expiresAt: null, models: null, limits: {} });
    expect(store.providers.get('openrouter')?.limits).toEqual({ rpm: 500, tpm: 2_000_000, concurrency: 32 });
    expect(store.settings.get()).toMatchObject({ ollamaLane: { limits: { rpm: 120, concurrency: 8 } }, pacingMaxWaitMs: 20_000 });
    expect(describeChanges(declare(store, EXAMPLE))).toBe('no changes');
  });

  it('changes what the file changes and keeps what it leaves out', () => {
    const { store } = tempStore();
    declare(store, EXAMPLE);
    const plain = store.clientTokens.list().find((token) => token.name === 'plain')!;
    store.clientTokens.setGovernance(plain.id, { limits: { rpm: 5 } });
    const edited = { ...EXAMPLE, clients: [{ ...EXAMPLE.clients[0]!, enabled: false, expiresAt: null, models: null }, EXAMPLE.clients[1]!] };
    const changes = declare(store, edited);
    expect(changes.clients.changed).toEqual(['ci-bot']);
    expect(store.clientTokens.list().find((token) => token.name === 'ci-bot')).toMatchObject({ enabled: false, expiresAt: null, models: null, limits: EXAMPLE.clients[0]!.limits });
    expect(store.clientTokens.get(plain.id)?.limits).toEqual({ rpm: 5 });
  });

  it('exports governance and pacing limits, and the export applies back unchanged', () => {
    const { store } = tempStore();
    declare(store, EXAMPLE);
    const exported = exportConfig(store, { includeSecrets: true });
    expect(exported.providers?.[0]).toMatchObject({ id: 'openrouter', limits: { rpm: 500, tpm: 2_000_000, concurrency: 32 } });
    expect(exported.clients).toEqual([
      { name: 'ci-bot', token: 'sb-a-long-random-string-of-your-choice', expiresAt: '2027-01-01T00:00:00.000Z', models: ['coder', 'claude-*'], limits: EXAMPLE.clients[0]!.limits },
      { name: 'plain', token: expect.any(String) },
    ]);
    expect(describeChanges(declare(store, exported))).toBe('no changes');
  });

  it('refuses an expiry that is not a date-time and a limit that is not a positive whole number, naming the field', () => {
    expect(() => parseConfig({ clients: [{ name: 'x', expiresAt: 'next year' }] })).toThrow(ConfigError);
    try {
      parseConfig({ clients: [{ name: 'x', limits: { rpm: -1 } }] });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).toContain('clients[0].limits.rpm');
    }
  });
});
