import { describe, expect, it } from 'vitest';
import type { ClientTokenInfo } from '../../src-proxy/domain/client-token.ts';
import type { BudgetAlert, ClientLimits } from '../../src-proxy/domain/governance.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { createPolicy, TOKENLESS_CALLER, tokenCaller, type Admitted } from '../../src-proxy/policy/client-policy.ts';
import { createMemoryLimitStore } from '../../src-proxy/policy/memory-limit-store.ts';
import { createPriceIndex } from '../../src-proxy/policy/price-index.ts';
import { tempStore } from '../store/helpers.ts';

const NOW = new Date(2026, 5, 15, 12).getTime();

function token(overrides: Partial<ClientTokenInfo> = {}): ClientTokenInfo {
  return { id: 'a', name: 'ci-bot', hint: 'sb-…', createdAt: 0, lastUsedAt: null, revokedAt: null, enabled: true, expiresAt: null, models: null, limits: {}, managedBy: null, ...overrides };
}

function setup(lane: ClientLimits = {}) {
  const { store } = tempStore();
  const alerts: BudgetAlert[] = [];
  let now = NOW;
  const policy = createPolicy({
    limits: createMemoryLimitStore({ spend: store.clientSpend }),
    prices: () => createPriceIndex([{ model: 'paid', inputPerMillion: 1_000_000, outputPerMillion: 0 }]),
    laneLimits: () => lane,
    now: () => now,
    onBudgetAlert: (alert) => alerts.push(alert),
  });
  return { policy, alerts, advance: (ms: number) => (now += ms) };
}

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('the policy step', () => {
  it('refuses a disabled client, an expired token and a model outside the allow-list, saying what to do', () => {
    const { policy } = setup();
    expect(refusal(() => policy.admit(tokenCaller(token({ enabled: false })), 'coder', 0))).toMatchObject({ code: 'client_disabled', status: 403 });
    const expired = refusal(() => policy.admit(tokenCaller(token({ expiresAt: NOW })), 'coder', 0));
    expect(expired).toMatchObject({ code: 'client_token_expired', status: 401 });
    expect(expired.message).toContain('Clients page');
    const notAllowed = refusal(() => policy.admit(tokenCaller(token({ models: ['coder', 'claude-*'] })), 'gpt-4o', 0));
    expect(notAllowed).toMatchObject({ code: 'model_not_allowed', status: 403 });
    expect(notAllowed.message).toContain('coder, claude-*');
    expect(policy.allowsModel(tokenCaller(token({ models: ['coder'] })), 'coder')).toBe(true);
    expect(policy.allowsModel(TOKENLESS_CALLER, 'anything')).toBe(true);
  });

  it('limits the tokenless lane as one client with the lane settings', () => {
    const { policy } = setup({ rpm: 1 });
    policy.admit(TOKENLESS_CALLER, 'llama', 0);
    const error = refusal(() => policy.admit(TOKENLESS_CALLER, 'llama', 0));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 61 });
    expect(error.message).toContain('Ollama lane');
  });

  it('alerts once at 80 % and once at 100 % of a budget', () => {
    const { policy, alerts } = setup();
    const caller = tokenCaller(token({ limits: { dailyBudgetUsd: 10 } }));
    const spend = (dollars: number) => policy.settle(policy.admit(caller, 'paid', 0) as Admitted, { model: 'paid', inputTokens: dollars, outputTokens: 0 });
    spend(5);
    expect(alerts).toEqual([]);
    spend(3.5);
    spend(0.5);
    expect(alerts.map((alert) => [alert.period, alert.threshold])).toEqual([['day', 80]]);
    spend(1);
    expect(alerts.map((alert) => [alert.period, alert.threshold])).toEqual([['day', 80], ['day', 100]]);
    expect(alerts[1]).toMatchObject({ client: 'ci-bot', spentUsd: 10, budgetUsd: 10 });
    expect(refusal(() => policy.admit(caller, 'paid', 0))).toMatchObject({ code: 'budget_exceeded' });
  });

  it('tells only the highest threshold one request crossed, the day before the month', () => {
    const { policy, alerts } = setup();
    const caller = tokenCaller(token({ limits: { dailyBudgetUsd: 10, monthlyBudgetUsd: 20 } }));
    const spend = (dollars: number) => policy.settle(policy.admit(caller, 'paid', 0) as Admitted, { model: 'paid', inputTokens: dollars, outputTokens: 0 });
    spend(16.5);
    expect(alerts.map((alert) => [alert.period, alert.threshold, alert.spentUsd, alert.budgetUsd])).toEqual([['day', 100, 16.5, 10], ['month', 80, 16.5, 20]]);
  });
});
