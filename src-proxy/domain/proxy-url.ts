/**
 * An outbound proxy: `http://`, `https://` or `socks5://`, optionally with `user:password@`.
 * Its credentials are secrets: anything shown or logged names a proxy by `proxyName` (scheme,
 * host and port only) and the dashboard sees `maskProxyUrl`.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';

export const PROXY_SCHEMES = ['http:', 'https:', 'socks5:'] as const;

/** Null when the text is a usable proxy URL, else what is wrong (never echoing the text). */
export function describeBadProxyUrl(text: string): string | null {
  if (!URL.canParse(text)) return 'not a URL: use http://host:port, https://host:port or socks5://user:password@host:port';
  const url = new URL(text);
  if (!(PROXY_SCHEMES as readonly string[]).includes(url.protocol)) return `the scheme "${url.protocol}" is not a proxy scheme: use http://, https:// or socks5://`;
  if (!url.hostname) return 'the proxy URL has no host';
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash) return 'a proxy URL is only scheme, credentials, host and port (no path or query)';
  return null;
}

export const proxyUrlSchema = lazySchema(() =>
  z
    .string()
    .max(2_000)
    .superRefine((value, context) => {
      const problem = describeBadProxyUrl(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
);

export const proxyIdSchema = lazySchema(() => z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lowercase letters, digits, "-" or "_"'));
/** `providers[].proxyPool`: ids of `settings.proxies`, used round-robin (routing/proxy-pool.ts). */
export const proxyPoolSchema = lazySchema(() => z.array(proxyIdSchema).max(100));

/** One proxy of `settings.proxies`, named by its id in provider pools. The URL's credentials are secrets. */
export const proxyEntrySchema = lazySchema(() => z.object({ id: proxyIdSchema, url: proxyUrlSchema, enabled: z.boolean() }).strict());
export type ProxyEntry = z.infer<typeof proxyEntrySchema>;

export const proxiesSchema = lazySchema(() =>
  z
    .array(proxyEntrySchema)
    .max(200)
    .superRefine((entries, context) => {
      const seen = new Set<string>();
      for (const [index, entry] of entries.entries()) {
        if (seen.has(entry.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `the proxy id "${entry.id}" is used twice` });
        seen.add(entry.id);
      }
    }),
);

/** What is wrong with pools naming proxies `proxies` lacks (null: every id exists). */
export function describeMissingPoolProxies(providers: ReadonlyArray<{ id: string; proxyPool: readonly string[] }>, proxies: ReadonlyArray<{ id: string }>): string | null {
  const known = new Set(proxies.map((entry) => entry.id));
  for (const provider of providers) {
    const missing = provider.proxyPool.filter((id) => !known.has(id));
    if (missing.length > 0) return `provider "${provider.id}" names proxy ${missing.map((id) => `"${id}"`).join(', ')} in its proxyPool, which settings.proxies does not list: add it under Settings → Proxies (settings.proxies) or remove it from the pool`;
  }
  return null;
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'socks5:' ? '1080' : '80';
}

/** `socks5://proxy.corp:1080`: how errors, logs and the Test result name a proxy. */
export function proxyName(text: string): string {
  if (!URL.canParse(text)) return 'an invalid proxy URL';
  const url = new URL(text);
  return `${url.protocol}//${url.hostname}:${url.port || defaultPort(url.protocol)}`;
}

/** `http://alice:•••@proxy.corp:8080`: the form a proxy URL leaves the core in. */
export function maskProxyUrl(text: string): string {
  if (!URL.canParse(text)) return 'an invalid proxy URL';
  const url = new URL(text);
  const user = url.username ? `${decodeURIComponent(url.username)}${url.password ? ':•••' : ''}@` : '';
  return `${url.protocol}//${user}${url.hostname}:${url.port || defaultPort(url.protocol)}`;
}

/** Whether a proxy URL carries a password (then it is left out of exports without secrets). */
export function hasProxyCredentials(text: string): boolean {
  return URL.canParse(text) && new URL(text).password !== '';
}

/** The password (and user) of a proxy URL, for scrubbing from error text. */
export function proxySecrets(text: string): string[] {
  if (!URL.canParse(text)) return [text];
  const url = new URL(text);
  return [url.password, decodeURIComponent(url.password), text].filter((value) => value.length >= 4);
}

/** The URL without its password (`http://alice@proxy:8080`): how an export without secrets writes it. */
export function withoutProxyPassword(text: string): string {
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  url.password = '';
  return url.toString().replace(/\/$/, '');
}
