/**
 * Proxy pools are not built yet: a provider naming one is refused with what to do instead, never
 * accepted and silently ignored.
 */
import { describe, expect, it } from 'vitest';
import { providerInputSchema } from '../../src-proxy/domain/provider.ts';

describe('providers[].proxyPool', () => {
  const base = { id: 'corp', kind: 'openai', baseUrl: 'https://api.openai.com/v1' } as const;

  it('refuses a named pool and points to a proxy URL instead', () => {
    const result = providerInputSchema.safeParse({ ...base, proxyPool: ['office'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('give the provider (or each key) a proxy URL');
  });

  it('accepts an empty pool (what an export of a provider without one says) and a proxy URL', () => {
    expect(providerInputSchema.safeParse({ ...base, proxyPool: [] }).success).toBe(true);
    expect(providerInputSchema.safeParse({ ...base, proxy: 'http://proxy.internal:3128' }).success).toBe(true);
  });
});
