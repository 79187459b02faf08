/**
 * Proxy pools: a provider's `proxyPool` names proxies of `settings.proxies`, used round-robin
 * per provider. A pool proxy that cannot be reached (or refuses its credentials) rests like a
 * key — the same rests and rotation as the key pool (rests.ts) — and the next one is used; when
 * every proxy of a pool rests, the call fails with proxy_unreachable saying when one is free.
 */
import type { ProviderRecord } from '../domain/provider.ts';
import type { ProxyEntry } from '../domain/proxy-url.ts';
import { GatewayError } from '../errors/codes.ts';
import { createRests, createRotation } from './rests.ts';

/** A proxy that refused connections is tried again after this long. */
export const UNREACHABLE_PROXY_REST_MS = 30_000;
/** Wrong credentials do not fix themselves: rest like a rejected key. */
export const REJECTED_PROXY_REST_MS = 10 * 60_000;

export interface ProxyPool {
  /** The next enabled, rested-out proxy of the provider's pool; null without a pool. Throws when all rest. */
  next(provider: ProviderRecord): ProxyEntry | null;
  /** Whether the provider's pool has a proxy not resting (another attempt may go through it). */
  hasFree(provider: ProviderRecord): boolean;
  /** A pool proxy failed to connect or refused its credentials: it rests. */
  failed(proxyId: string, code: 'proxy_unreachable' | 'proxy_auth_failed' | 'proxy_tls_untrusted'): void;
  /** The proxies' state for the dashboard: id → until (resting ones only). */
  resting(): Record<string, number>;
}

export function createProxyPool(deps: { proxies: () => readonly ProxyEntry[]; now?: () => number }): ProxyPool {
  const now = deps.now ?? Date.now;
  const rests = createRests<string>({ now, maxMs: REJECTED_PROXY_REST_MS });
  const rotate = createRotation();

  function members(provider: ProviderRecord): ProxyEntry[] {
    const byId = new Map(deps.proxies().map((entry) => [entry.id, entry]));
    return provider.proxyPool.map((id) => byId.get(id)).filter((entry): entry is ProxyEntry => entry !== undefined && entry.enabled);
  }

  return {
    next(provider) {
      if (provider.proxyPool.length === 0) return null;
      const all = members(provider);
      if (all.length === 0) throw new GatewayError('proxy_unreachable', `Provider "${provider.id}" has a proxy pool with no enabled proxy: enable one under Settings → Proxies`);
      const rotated = rotate(provider.id, all);
      const free = rests.empty ? rotated[0] : rotated.find((entry) => rests.until(entry.id) === null);
      if (free) return free;
      const until = Math.min(...all.map((entry) => rests.until(entry.id) ?? now()));
      const seconds = Math.max(1, Math.ceil((until - now()) / 1000));
      throw new GatewayError('proxy_unreachable', `Every proxy of the pool of "${provider.id}" failed recently and rests; the first is tried again in ${seconds} s`, { retryAfterSeconds: seconds });
    },
    hasFree(provider) {
      return members(provider).some((entry) => rests.until(entry.id) === null);
    },
    failed(proxyId, code) {
      // Wrong credentials or an untrusted certificate need a person: the proxy rests longer.
      rests.rest(proxyId, code === 'proxy_unreachable' ? UNREACHABLE_PROXY_REST_MS : REJECTED_PROXY_REST_MS);
    },
    resting() {
      const out: Record<string, number> = {};
      for (const entry of deps.proxies()) {
        const until = rests.until(entry.id);
        if (until !== null) out[entry.id] = until;
      }
      return out;
    },
  };
}
