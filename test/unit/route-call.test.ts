// The one place a model call is resolved, governed, run and recorded (http/route-chat.ts).
import { describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import type { DialectContext } from '../../src-proxy/http/dialect-context.ts';
import type { Exchange } from '../../src-proxy/http/exchange.ts';
import { routeCall } from '../../src-proxy/http/route-chat.ts';
import type { ProviderAdapter, ResolvedTarget } from '../../src-proxy/providers/types.ts';

function setup(options: { native: boolean; admit?: () => unknown }) {
  const target = { provider: { id: 'p', kind: 'k' }, model: 'upstream-m', key: null } as unknown as ResolvedTarget;
  const adapter = {
    supportsNative: vi.fn(() => options.native),
    forward: vi.fn(async () => ({ response: {}, body: [] })),
  } as unknown as ProviderAdapter;
  const run = vi.fn(async (_resolution: unknown, _attempts: unknown, _signal: unknown, call: (t: ResolvedTarget, a: ProviderAdapter) => Promise<unknown>) => ({
    result: await call(target, adapter),
    target,
    adapter,
  }));
  const context = {
    router: { resolve: vi.fn(() => ({ alias: null, targets: [] })), run },
    upstreamContext: vi.fn(() => ({})),
    refreshStaleModels: vi.fn(),
    policy: { admit: vi.fn(options.admit ?? (() => ({ lease: { key: 'tokenless', at: 0, estimatedTokens: 0 }, caller: {} }))), checkAccess: vi.fn() },
  } as unknown as DialectContext;
  const exchange = { attempts: [], abort: new AbortController(), request: { headers: { 'content-length': '400' } }, admitted: null } as unknown as Exchange;
  return { context, exchange, adapter, run };
}

describe('routeCall', () => {
  it('takes the fast path when the target takes the body unchanged, and records who answered', async () => {
    const { context, exchange, adapter } = setup({ native: true });
    const translate = vi.fn();
    const outcome = await routeCall(context, exchange, 'm', { native: { endpoint: 'x.y', body: {}, stream: false }, translate });
    expect(outcome.kind).toBe('native');
    expect(adapter.supportsNative).toHaveBeenCalledWith('x.y', expect.objectContaining({ id: 'p' }));
    expect(translate).not.toHaveBeenCalled();
    expect(exchange).toMatchObject({ requestedModel: 'm', provider: 'p', upstreamModel: 'upstream-m' });
  });

  it('translates for a target that does not take the body', async () => {
    const { context, exchange } = setup({ native: false });
    const outcome = await routeCall(context, exchange, 'm', { native: { endpoint: 'x.y', body: {}, stream: false }, translate: async () => 42 });
    expect(outcome).toMatchObject({ kind: 'translated', value: 42 });
  });

  it('runs the policy step before the name is resolved or anything is called; a refusal stops the call', async () => {
    const { context, exchange, run } = setup({
      native: false,
      admit: () => {
        throw new GatewayError('model_not_allowed', 'not this model');
      },
    });
    await expect(routeCall(context, exchange, 'm', { translate: async () => 1 })).rejects.toThrow('not this model');
    expect(context.policy.admit).toHaveBeenCalledWith(expect.objectContaining({ key: 'tokenless' }), 'm', 100);
    expect(context.router.resolve).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
  });

  it('keeps the admission on the exchange (settled when it ends); token counting only checks access', async () => {
    const { context, exchange } = setup({ native: false });
    await routeCall(context, exchange, 'm', { translate: async () => 1 });
    expect(exchange.admitted).toMatchObject({ lease: { key: 'tokenless' } });
    const counting = setup({ native: false });
    await routeCall(counting.context, counting.exchange, 'm', { translate: async () => 1, admission: 'access' });
    expect(counting.context.policy.admit).not.toHaveBeenCalled();
    expect(counting.context.policy.checkAccess).toHaveBeenCalledWith(expect.objectContaining({ key: 'tokenless' }), 'm');
  });
});
