/**
 * The system proxy: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lowercase forms win, as curl and
 * undici read them) for calls that have no explicit proxy, when settings.useSystemProxy is on.
 * https targets use HTTPS_PROXY (else HTTP_PROXY), http targets HTTP_PROXY. NO_PROXY lists hosts
 * separated by commas or spaces: `example.com` (that host and its subdomains), `.example.com`
 * (subdomains only), `host:port` (that port only), an IP address, or `*` (nothing is proxied).
 * Loopback targets are never proxied. A proxy URL the environment gets wrong is ignored (the
 * caller logs `problems` once).
 */
import { describeBadProxyUrl } from '../domain/proxy-url.ts';

export type ProxyEnv = Readonly<Record<string, string | undefined>>;

export interface SystemProxy {
  /** The proxy URL for a call to `url`, or undefined for a direct call. */
  for(url: string): string | undefined;
  /** What the environment got wrong (never echoing a URL: it may carry a password). */
  readonly problems: readonly string[];
  /** The proxies it may choose (their pooled connections are kept). */
  readonly urls: readonly string[];
}

function read(env: ProxyEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() ? value.trim() : undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** Whether NO_PROXY's `entries` exempt `host:port`. */
export function matchesNoProxy(entries: readonly string[], host: string, port: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return entries.some((raw) => {
    const entry = raw.toLowerCase();
    if (entry === '*') return true;
    const portMatch = /^(.*):(\d+)$/.exec(entry);
    const [pattern, onlyPort] = portMatch && !entry.startsWith('[') && entry.split(':').length === 2 ? [portMatch[1]!, portMatch[2]!] : [entry.replace(/^\[|\]$/g, ''), null];
    if (onlyPort !== null && onlyPort !== port) return false;
    if (pattern.startsWith('.')) return name.endsWith(pattern);
    if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1));
    return name === pattern || name.endsWith(`.${pattern}`);
  });
}

export function createSystemProxy(env: ProxyEnv): SystemProxy {
  const problems: string[] = [];
  const usable = (name: string): string | undefined => {
    const value = read(env, name);
    if (value === undefined) return undefined;
    const problem = describeBadProxyUrl(value);
    if (problem) problems.push(`${name.toUpperCase()} is ignored: ${problem}`);
    return problem ? undefined : value;
  };
  const httpsProxy = usable('https_proxy');
  const httpProxy = usable('http_proxy');
  const noProxy = (read(env, 'no_proxy') ?? '').split(/[\s,]+/).filter(Boolean);
  return {
    for(url) {
      if (!httpsProxy && !httpProxy) return undefined;
      if (!URL.canParse(url)) return undefined;
      const target = new URL(url);
      const proxy = target.protocol === 'https:' ? httpsProxy ?? httpProxy : target.protocol === 'http:' ? httpProxy : undefined;
      if (!proxy || isLoopback(target.hostname)) return undefined;
      return matchesNoProxy(noProxy, target.hostname, target.port || defaultPort(target.protocol)) ? undefined : proxy;
    },
    problems,
    urls: [httpsProxy, httpProxy].filter((url): url is string => url !== undefined),
  };
}
