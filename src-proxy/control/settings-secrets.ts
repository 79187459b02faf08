/**
 * The secrets inside settings — the metrics token and the passwords of `settings.proxies` URLs —
 * leave the core masked, and a masked value the dashboard sends back unchanged keeps the stored
 * one (so saving a form never replaces a secret by its mask).
 */
import type { Settings } from '../domain/settings.ts';
import { maskProxyUrl } from '../domain/proxy-url.ts';
import { maskSecret } from '../store/mask.ts';

/** Settings as they leave the core. */
export function maskedSettings(settings: Settings): Settings {
  const token = settings.metrics.token;
  return {
    ...settings,
    metrics: token === null ? settings.metrics : { ...settings.metrics, token: maskSecret(token) },
    proxies: settings.proxies.map((entry) => ({ ...entry, url: maskProxyUrl(entry.url) })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A settings patch with every secret that is still its mask replaced by the stored secret. */
export function unmaskSettingsPatch(request: unknown, stored: Settings): unknown {
  if (!isRecord(request)) return request;
  let patch: Record<string, unknown> = request;
  const token = stored.metrics.token;
  if (token !== null && isRecord(patch.metrics) && patch.metrics.token === maskSecret(token)) {
    patch = { ...patch, metrics: { ...patch.metrics, token } };
  }
  if (Array.isArray(patch.proxies)) {
    // Matched by id and by URL: the mask of the proxy stored under that id keeps its password.
    const byId = new Map(stored.proxies.map((entry) => [entry.id, entry.url]));
    patch = {
      ...patch,
      proxies: patch.proxies.map((entry: unknown) => {
        if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.url !== 'string') return entry;
        const url = byId.get(entry.id);
        return url !== undefined && entry.url === maskProxyUrl(url) ? { ...entry, url } : entry;
      }),
    };
  }
  return patch;
}
