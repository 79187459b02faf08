/**
 * Rules for a provider base URL. Errors: not http(s), credentials in the URL (they would end up
 * in logs and exports; use keys or headers), a query or fragment (paths are appended to it).
 * Plain http is fine for loopback hosts (a local Ollama) and allowed with a warning elsewhere
 * (a LAN Ollama box is common, but the key would cross the network in clear).
 */
export type BaseUrlCheck = { ok: false; error: string } | { ok: true; warning: string | null };

export function checkBaseUrl(value: string): BaseUrlCheck {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, error: 'must be an absolute http(s) URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: 'must start with https:// or http://' };
  if (url.username || url.password) return { ok: false, error: 'must not contain a user name or password; put the key in "keys"' };
  if (url.search || url.hash) return { ok: false, error: 'must not contain a query string or fragment' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: true, warning: `uses plain http to ${url.hostname}: keys and prompts cross the network unencrypted` };
  }
  return { ok: true, warning: null };
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
