/**
 * A configured provider: its id, kind, base URL, options and the record the store keeps for it.
 * The masked view the dashboard shows (with its keys) is built on top of this in the control
 * contract; nothing here knows about the UI.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';
import type { ManagedBy } from './ownership.ts';
import type { KeyType } from './provider-key.ts';
import { proxyPoolSchema, proxyUrlSchema } from './proxy-url.ts';
import { headerNameSchema, headerValueSchema } from './secret-text.ts';
import { providerLimitsSchema, type ProviderLimits } from './governance.ts';

/**
 * A kind names the provider folder that speaks to this upstream (providers/<kind>/); which kinds
 * exist is the provider registry's business, so here a kind is only a well-formed name.
 */
export const providerKindSchema = lazySchema(() => z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a provider kind such as "openai" or "anthropic"'));

export const providerIdSchema = lazySchema(() =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lowercase letters, digits, "-" or "_" (it becomes the first part of provider/model addresses)'),
);

/** Kind-specific options; each kind validates its own (domain/provider-kind.ts, optionsSchemaOf). */
export const providerOptionsSchema = lazySchema(() => z.record(z.string(), z.unknown()));
export type ProviderOptions = Record<string, unknown>;

export const providerInputSchema = lazySchema(() =>
  z
    .object({
      id: providerIdSchema,
      kind: providerKindSchema,
      name: z.string().min(1).max(100).optional(),
      baseUrl: z.string().url(),
      headers: z.record(headerNameSchema, headerValueSchema).optional(),
      enabled: z.boolean().optional(),
      options: providerOptionsSchema.optional(),
      /** Pacing: Switchboard keeps its calls to this provider inside these limits (requests wait). */
      limits: providerLimitsSchema.optional(),
      /** Outbound proxy for this provider's calls (a key's own proxy wins). */
      proxy: proxyUrlSchema.optional(),
      /** Reserved for proxy pools (settings.proxies used in turn); refused until they exist. */
      proxyPool: proxyPoolSchema.optional(),
      /** HTTP/2 when the provider's https server offers it (ALPN; HTTP/1.1 otherwise). Default off. */
      http2: z.boolean().optional(),
    })
    .strict(),
);
export type ProviderInput = z.infer<typeof providerInputSchema>;

/**
 * Changes to an existing provider: every field but `id` optional; `newId` renames it (keys,
 * discovered models and alias targets follow). `headers` and `options` replace the stored maps.
 */
export const providerUpdateSchema = lazySchema(() =>
  z
    .object({
      id: providerIdSchema,
      newId: providerIdSchema.optional(),
      kind: providerKindSchema.optional(),
      name: z.string().min(1).max(100).optional(),
      baseUrl: z.string().url().optional(),
      headers: z.record(headerNameSchema, headerValueSchema).optional(),
      enabled: z.boolean().optional(),
      options: providerOptionsSchema.optional(),
      limits: providerLimitsSchema.optional(),
      /** null removes the provider's proxy. */
      proxy: proxyUrlSchema.nullable().optional(),
      proxyPool: proxyPoolSchema.optional(),
      http2: z.boolean().optional(),
    })
    .strict(),
);
export type ProviderUpdate = z.infer<typeof providerUpdateSchema>;

/** A provider as stored, with real header values (only for building upstream requests). */
export interface ProviderRecord {
  id: string;
  kind: string;
  name: string;
  baseUrl: string;
  headers: Record<string, string>;
  enabled: boolean;
  options: ProviderOptions;
  /** Pacing limits ({} = none). */
  limits: ProviderLimits;
  /** Outbound proxy URL (with its credentials: only for building upstream calls); null = none. */
  proxy: string | null;
  /** Ids of settings.proxies used in turn ([] = none). */
  proxyPool: string[];
  /** Calls offer HTTP/2 by ALPN (https only); false: HTTP/1.1. */
  http2: boolean;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  managedBy: ManagedBy;
}

/** A provider key as it may leave the core: masked, never the secret. */
export interface KeyInfo {
  id: number;
  providerId: string;
  label: string;
  /** e.g. "sk-…9f3a" — the only form a key ever leaves the core in. */
  masked: string;
  enabled: boolean;
  lastError: string | null;
  lastUsedAt: number | null;
  /** Epoch ms until which the key rests after a 429 / 401. */
  cooldownUntil: number | null;
  createdAt: number;
  /** 'config' when the key comes from the config file (replaced by the file's keys at each start). */
  managedBy: ManagedBy;
  /** A plain secret, or an OAuth2 account whose access token Switchboard refreshes. */
  type: KeyType;
  /** The key's own outbound proxy, masked (`http://alice:•••@proxy:8080`); null = the provider's. */
  proxy: string | null;
  /** OAuth2 accounts only, read-only: whether Switchboard holds an access token and until when (never the token). */
  account?: KeyAccountState;
  /** OAuth2 accounts only: the account's fields as Edit shows them, secrets masked (sent back unchanged, a mask keeps the stored value). */
  oauth2?: MaskedKeyAccount;
}

export interface MaskedKeyAccount {
  tokenUrl: string;
  clientId: string;
  clientSecret: string | null;
  refreshToken: string;
  scopes: string[];
}

export interface KeyAccountState {
  hasToken: boolean;
  /** Epoch ms; null when there is no token or the token server gave no expiry. */
  tokenExpiresAt: number | null;
}

/** The answer of a real call made to check a provider (and key). */
export interface ProviderTestResult {
  ok: boolean;
  status: number | null;
  /** The error code (errors/codes.ts) when not ok. */
  errorCode: string | null;
  latencyMs: number;
  message: string;
  models: string[];
  /** The outbound proxy the call went through (scheme, host and port only); absent: direct. */
  proxy?: string;
}
