import { z } from 'zod';
import { lazySchema } from '../domain/lazy-schema.ts';
import { aliasCacheSchema, ruleConditionSchema, targetSchema } from '../domain/alias.ts';
import type { SwitchboardConfig } from '../domain/config-file.ts';
import { allowedModelsSchema, clientLimitsSchema } from '../domain/governance.ts';
import { modelMetadataSchema } from '../domain/model-metadata.ts';
import { providerInputSchema } from '../domain/provider.ts';
import { keyEntrySchema } from '../domain/provider-key.ts';
import { settingsPatchSchema } from '../domain/settings.ts';
import { priceSchema } from '../domain/usage.ts';
import { formatIssuePath } from '../domain/validation.ts';
import { checkBaseUrl } from './base-url.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { GatewayError } from '../errors/codes.ts';
import type { ProviderCatalog } from '../providers/types.ts';

/** `"openrouter/anthropic/claude-sonnet-4"`: provider id, then the upstream model (which may hold `/`). */
export const targetStringSchema = lazySchema(() =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}\/.+$/, 'use "providerId/upstream-model" or {"provider", "model"}'),
);

export const configProviderSchema = lazySchema(() =>
  providerInputSchema
    .extend({ keys: z.array(keyEntrySchema).optional() })
    .strict()
    .superRefine((provider, context) => {
      const check = checkBaseUrl(provider.baseUrl);
      // An unparsable URL is already reported by the url() rule: one issue per problem.
      if (!check.ok && URL.canParse(provider.baseUrl)) context.addIssue({ code: 'custom', path: ['baseUrl'], message: check.error });
    }),
);

const configTargetsSchema = lazySchema(() => z.array(z.union([targetStringSchema, targetSchema])).min(1));

export const configModelSchema = lazySchema(() =>
  z
    .object({
      alias: z.string().min(1).max(200),
      targets: configTargetsSchema,
      /** Tried in order before `targets`: `{ "when": { "thinking": true }, "targets": ["anthropic/claude-opus-4-1"] }`. */
      rules: z.array(z.object({ when: ruleConditionSchema, targets: configTargetsSchema, name: z.string().min(1).max(100).optional() }).strict()).max(50).optional(),
      exposed: z.boolean().optional(),
      metadata: modelMetadataSchema.optional(),
      /** Opt-in response cache: `"cache": { "ttlSeconds": 3600 }`. */
      cache: aliasCacheSchema.optional(),
    })
    .strict(),
);

/**
 * A client token and what governs it (see domain/governance.ts). A field left out keeps what the
 * dashboard set; `expiresAt` is an ISO date-time in the file (null: never), `models` null = all.
 */
export const configClientSchema = lazySchema(() =>
  z
    .object({
      name: z.string().min(1).max(100),
      token: z.string().min(16, 'a client token must be at least 16 characters').optional(),
      enabled: z.boolean().optional(),
      expiresAt: z.string().datetime({ offset: true, message: 'an ISO date-time such as "2027-01-01T00:00:00Z"' }).nullable().optional(),
      models: allowedModelsSchema.nullable().optional(),
      limits: clientLimitsSchema.optional(),
    })
    .strict(),
);

function uniqueBy<T>(items: T[] | undefined, key: (item: T) => string, field: string, what: string, context: z.RefinementCtx): void {
  const seen = new Set<string>();
  items?.forEach((item, index) => {
    const value = key(item);
    if (seen.has(value)) context.addIssue({ code: 'custom', path: [field, index], message: `duplicate ${what} "${value}"` });
    seen.add(value);
  });
}

export const configSchema = lazySchema(() =>
  z
    .object({
      $schema: z.string().optional(),
      providers: z.array(configProviderSchema).optional(),
      models: z.array(configModelSchema).optional(),
      clients: z.array(configClientSchema).optional(),
      settings: settingsPatchSchema.optional(),
      prices: z.array(priceSchema).optional(),
    })
    .strict()
    .superRefine((config, context) => {
      uniqueBy(config.providers, (p) => p.id, 'providers', 'provider id', context);
      uniqueBy(config.models, (m) => m.alias, 'models', 'alias', context);
      uniqueBy(config.clients, (c) => c.name, 'clients', 'client name', context);
    }),
);

export type ParsedConfig = z.infer<typeof configSchema>;

// Compile-time check: what the schema accepts is the contract's SwitchboardConfig.
const schemaMatchesContract: (config: ParsedConfig) => SwitchboardConfig = (config) => config;
void schemaMatchesContract;

/**
 * Validates a config object; throws one ConfigError listing every problem with its path. Given
 * the provider kinds a gateway serves, each provider is also checked against its kind (a kind
 * that exists, options as the kind describes them); import checks again either way.
 */
export function parseConfig(value: unknown, file: string | null = null, providers?: Pick<ProviderCatalog, 'check'>): SwitchboardConfig {
  const result = configSchema.safeParse(value);
  if (result.success) {
    const { $schema: _ignored, ...config } = result.data;
    const issues = providers ? providerIssues(config, providers) : [];
    if (issues.length > 0) throw new ConfigError(file, issues);
    return config;
  }
  const issues: ConfigIssue[] = result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
  throw new ConfigError(file, issues, { cause: result.error });
}

function providerIssues(config: SwitchboardConfig, providers: Pick<ProviderCatalog, 'check'>): ConfigIssue[] {
  return (config.providers ?? []).flatMap(({ keys: _keys, ...provider }, index) => {
    try {
      providers.check(provider);
      return [];
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      return [{ path: `providers[${index}]${error.param ? `.${error.param}` : ''}`, message: error.message }];
    }
  });
}

/** Non-fatal remarks about a valid config (plain http to a non-loopback provider). */
export function configWarnings(config: SwitchboardConfig): string[] {
  const warnings: string[] = [];
  config.providers?.forEach((provider, index) => {
    const check = checkBaseUrl(provider.baseUrl);
    if (check.ok && check.warning) warnings.push(`providers[${index}].baseUrl ${check.warning}`);
  });
  return warnings;
}
