/**
 * The background probe of an open circuit: a GET of the provider's base URL. Any HTTP answer —
 * 200, 401, 404 — proves the provider is reachable again; only a connection failure or a
 * timeout keeps the circuit open. No key is sent: a probe never counts against one.
 */
import type { ProviderRecord } from '../domain/provider.ts';
import type { UpstreamHttp } from '../upstream/http-client.ts';
import type { ProxyChoice } from './proxy-choice.ts';

export function createProviderProbe(deps: { http: UpstreamHttp; connectMs: () => number; timeoutMs?: number; proxies?: ProxyChoice }) {
  return async (provider: ProviderRecord): Promise<boolean> => {
    const timeoutMs = deps.timeoutMs ?? 10_000;
    try {
      // Throws when every proxy of the provider's pool rests: unreachable still.
      const proxy = deps.proxies?.pick(provider, null)?.url;
      const response = await deps.http.send({
        url: provider.baseUrl,
        method: 'GET',
        headers: { accept: '*/*' },
        signal: AbortSignal.timeout(timeoutMs),
        timeouts: { connectMs: Math.min(deps.connectMs(), timeoutMs), firstByteMs: timeoutMs, idleMs: timeoutMs, totalMs: 0 },
        // Through the provider's own proxy when it has one: that is the path its calls take.
        ...(proxy ? { proxy } : {}),
        ...(provider.http2 ? { http2: true } : {}),
      });
      // Read the (small) answer whole: the connection goes back to the pool, nothing is torn down.
      await response.text(64 * 1024).catch(() => '');
      return true;
    } catch {
      // Unreachable still: the circuit stays open (the caller schedules the next probe).
      return false;
    }
  };
}
