/**
 * A provider's outbound proxy as the form edits it: no proxy of its own (direct, or the system
 * proxy when Settings → Proxies turns it on), one proxy URL, or a pool of settings.proxies.
 * URLs arrive masked (`http://alice:•••@proxy:3128`); sent back unchanged the core keeps the
 * stored password, so a URL holding the mask's dots anywhere else is refused here.
 */
export type ProxyMode = 'none' | 'url' | 'pool';

export interface ProxySetting {
  mode: ProxyMode;
  url: string;
  pool: string[];
}

const MASK_DOTS = '•••';

export function proxySettingOf(provider?: { proxy: string | null; proxyPool: string[] }): ProxySetting {
  if (provider?.proxy) return { mode: 'url', url: provider.proxy, pool: [] };
  if (provider && provider.proxyPool.length > 0) return { mode: 'pool', url: '', pool: [...provider.proxyPool] };
  return { mode: 'none', url: '', pool: [] };
}

/** What to send as updateProvider's `proxy` and `proxyPool` (null clears the URL). */
export function proxyPatchOf(setting: ProxySetting): { proxy: string | null; proxyPool: string[] } {
  if (setting.mode === 'url') return { proxy: setting.url.trim(), proxyPool: [] };
  if (setting.mode === 'pool') return { proxy: null, proxyPool: setting.pool };
  return { proxy: null, proxyPool: [] };
}

/** createProvider's fields: only what is set. */
export function proxyInputOf(setting: ProxySetting): { proxy?: string; proxyPool?: string[] } {
  const patch = proxyPatchOf(setting);
  return { ...(patch.proxy ? { proxy: patch.proxy } : {}), ...(patch.proxyPool.length > 0 ? { proxyPool: patch.proxyPool } : {}) };
}

/**
 * Why this URL cannot be saved as typed (null: it can): the mask stands for the saved password
 * only when the whole masked URL is sent back unchanged.
 */
export function maskedUrlProblem(url: string, saved: string | null): string | null {
  if (!url.includes(MASK_DOTS) || url.trim() === saved) return null;
  return 'Type the password again: "•••" stands for the saved one only while the rest of the URL is unchanged.';
}

/** Whether the system proxy applies to calls without a proxy of their own (null setting: the host's default). */
export function systemProxyOn(useSystemProxy: boolean | null, host: string): boolean {
  return useSystemProxy ?? host === 'desktop';
}
