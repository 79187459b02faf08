/**
 * What a provider key is: a plain secret, a secret with its own outbound proxy, or an OAuth2
 * account whose access token Switchboard obtains and refreshes itself. The config file, the
 * control API and the store all speak this one shape; the store seals the whole material (the
 * proxy's credentials and the account's tokens included) with its secret cipher.
 *
 * At rest a key is one string: a plain secret stays itself (keys stored by older versions read
 * unchanged), anything richer is `sbk1:` + JSON.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';
import { secretTextSchema } from './secret-text.ts';
import { proxyUrlSchema } from './proxy-url.ts';

const labelSchema = lazySchema(() => z.string().max(100));

export const oauth2AccountSchema = lazySchema(() =>
  z
    .object({
      type: z.literal('oauth2'),
      tokenUrl: z.string().url().refine((url) => /^https?:\/\//.test(url), 'the token URL must be http(s)'),
      clientId: secretTextSchema,
      clientSecret: secretTextSchema.optional(),
      refreshToken: secretTextSchema,
      scopes: z.array(z.string().min(1).max(200).regex(/^\S+$/, 'a scope has no spaces')).max(50).optional(),
      label: labelSchema.optional(),
      proxy: proxyUrlSchema.optional(),
    })
    .strict(),
);
export type OAuth2Account = z.infer<typeof oauth2AccountSchema>;
/** The account's own fields (the control API carries label and proxy beside them). */
export const keyAccountSchema = lazySchema(() => oauth2AccountSchema.omit({ type: true, label: true, proxy: true }));
export type KeyAccount = z.infer<typeof keyAccountSchema>;

/** A key's material from the control API's fields. */
export function materialFromRequest(request: { secret?: string; oauth2?: KeyAccount; proxy?: string | null }): KeyMaterial {
  const proxy = request.proxy ? { proxy: request.proxy } : {};
  if (request.oauth2) return { type: 'oauth2', ...request.oauth2, configuredRefreshToken: request.oauth2.refreshToken, ...proxy };
  return { type: 'key', secret: (request.secret ?? '').trim(), ...proxy };
}

/** The same key through another proxy (undefined: unchanged, null: none). */
export function withProxy(material: KeyMaterial, proxy: string | null | undefined): KeyMaterial {
  if (proxy === undefined) return material;
  const { proxy: _old, ...rest } = material;
  return (proxy === null ? rest : { ...rest, proxy }) as KeyMaterial;
}

export const staticKeyObjectSchema = lazySchema(() => z.object({ secret: secretTextSchema, label: labelSchema.optional(), proxy: proxyUrlSchema.optional() }).strict());

/** A key as written in the config file or sent to addKey: a secret, or one of the objects. */
export const keyEntrySchema = lazySchema(() => z.union([secretTextSchema, oauth2AccountSchema, staticKeyObjectSchema]));
export type KeyEntry = z.infer<typeof keyEntrySchema>;

/** A key as the store keeps it (sealed). `token` is the OAuth access token Switchboard holds. */
export type KeyMaterial =
  | { type: 'key'; secret: string; proxy?: string }
  | {
      type: 'oauth2';
      tokenUrl: string;
      clientId: string;
      clientSecret?: string;
      /** The refresh token in use (the server may rotate it). */
      refreshToken: string;
      /** The refresh token the account was configured with: what a config file is compared by. */
      configuredRefreshToken: string;
      scopes?: string[];
      proxy?: string;
      token?: { value: string; expiresAt: number | null };
    };

export type KeyType = KeyMaterial['type'];

const PREFIX = 'sbk1:';

export function materialOf(entry: KeyEntry): KeyMaterial {
  if (typeof entry === 'string') return { type: 'key', secret: entry.trim() };
  if ('type' in entry) {
    const { label: _label, type: _type, ...account } = entry;
    return { type: 'oauth2', ...account, configuredRefreshToken: account.refreshToken };
  }
  return { type: 'key', secret: entry.secret.trim(), ...(entry.proxy ? { proxy: entry.proxy } : {}) };
}

export function labelOf(entry: KeyEntry): string | undefined {
  return typeof entry === 'string' ? undefined : entry.label;
}

export function encodeKeyMaterial(material: KeyMaterial): string {
  if (material.type === 'key' && !material.proxy) return material.secret;
  return PREFIX + JSON.stringify(material);
}

export function decodeKeyMaterial(stored: string): KeyMaterial {
  if (!stored.startsWith(PREFIX)) return { type: 'key', secret: stored };
  return JSON.parse(stored.slice(PREFIX.length)) as KeyMaterial;
}

/** What a config file's key is matched by: the configured parts, not what refreshes change. */
export function keyIdentity(material: KeyMaterial): string {
  if (material.type === 'key') return JSON.stringify([material.secret, material.proxy ?? null]);
  return JSON.stringify([material.tokenUrl, material.clientId, material.clientSecret ?? null, material.configuredRefreshToken, material.scopes ?? [], material.proxy ?? null]);
}

/** The config-file entry for a stored key (export with secrets): never the access token. */
export function entryOf(material: KeyMaterial, label?: string): KeyEntry {
  if (material.type === 'key') return material.proxy ? { secret: material.secret, ...(label ? { label } : {}), proxy: material.proxy } : material.secret;
  const { token: _token, configuredRefreshToken: _configured, ...account } = material;
  return { ...account, ...(label ? { label } : {}) };
}

/** Every secret text in a key, for scrubbing from error messages. */
export function secretsOf(material: KeyMaterial): string[] {
  if (material.type === 'key') return [material.secret];
  return [material.clientSecret, material.refreshToken, material.token?.value].filter((value): value is string => typeof value === 'string');
}
