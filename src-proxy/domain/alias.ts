/**
 * A model alias: the name a client asks for, the ordered targets (provider + upstream model,
 * optional overrides) the router tries for it, and rules that pick other targets first for some
 * requests (thinking, long input, a model name pattern, one client, images).
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';
import { modelMetadataSchema, type ModelMetadata } from './model-metadata.ts';
import type { ManagedBy } from './ownership.ts';
import { targetOverridesSchema } from './overrides.ts';
import { providerIdSchema } from './provider.ts';

export const targetSchema = lazySchema(() =>
  z
    .object({ provider: providerIdSchema, model: z.string().min(1), overrides: targetOverridesSchema.optional() })
    .strict(),
);
export type AliasTarget = z.infer<typeof targetSchema>;

/**
 * The response cache for an alias (opt-in): answers are kept for ttlSeconds and replayed to any
 * client asking the same question of the same targets (cache/ explains the key).
 */
export const aliasCacheSchema = lazySchema(() =>
  z
    .object({ ttlSeconds: z.number().int().min(1).max(365 * 24 * 3600) })
    .strict(),
);
export type AliasCache = z.infer<typeof aliasCacheSchema>;

/** What a request must have for a rule to apply; every condition given must hold. */
export const ruleConditionSchema = lazySchema(() =>
  z
    .object({
      /** The request asks for thinking / reasoning (or, false, does not). */
      thinking: z.boolean().optional(),
      /** Estimated input tokens above this number. */
      inputTokensOver: z.number().int().min(0).optional(),
      /** The model name the client asked for matches this pattern (`*` matches any text). */
      modelMatches: z.string().min(1).max(200).optional(),
      /** The client (its token's name) is this one. */
      client: z.string().min(1).max(100).optional(),
      /** The request carries images (or, false, does not). */
      hasImages: z.boolean().optional(),
    })
    .strict()
    .refine((when) => Object.values(when).some((value) => value !== undefined), { message: 'a rule needs at least one condition' }),
);
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

export const routingRuleSchema = lazySchema(() =>
  z
    .object({
      when: ruleConditionSchema,
      targets: z.array(targetSchema).min(1),
      /** Shown in the history instead of the generated description. */
      name: z.string().min(1).max(100).optional(),
    })
    .strict(),
);
export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const aliasInputSchema = lazySchema(() =>
  z
    .object({
      alias: z.string().min(1).max(200),
      targets: z.array(targetSchema).min(1),
      /** Tried in order before the default targets; the first that matches leads. */
      rules: z.array(routingRuleSchema).max(50).optional(),
      exposed: z.boolean().optional(),
      metadata: modelMetadataSchema.optional(),
      /** Absent or null: answers are not cached. */
      cache: aliasCacheSchema.nullable().optional(),
    })
    .strict(),
);
export type AliasInput = z.infer<typeof aliasInputSchema>;

/** Changes to an existing alias; `newAlias` renames it. */
export const aliasUpdateSchema = lazySchema(() =>
  z
    .object({
      alias: z.string().min(1).max(200),
      newAlias: z.string().min(1).max(200).optional(),
      targets: z.array(targetSchema).min(1).optional(),
      /** Replaces the rules ([] removes them); absent keeps them. */
      rules: z.array(routingRuleSchema).max(50).optional(),
      exposed: z.boolean().optional(),
      metadata: modelMetadataSchema.optional(),
      /** null turns the cache off; absent keeps it as it is. */
      cache: aliasCacheSchema.nullable().optional(),
    })
    .strict(),
);
export type AliasUpdate = z.infer<typeof aliasUpdateSchema>;

export interface AliasInfo {
  alias: string;
  targets: AliasTarget[];
  /** In order; [] when the alias has none. */
  rules: RoutingRule[];
  exposed: boolean;
  metadata: ModelMetadata;
  /** Null when answers of this alias are not cached. */
  cache: AliasCache | null;
  createdAt: number;
  updatedAt: number;
  managedBy: ManagedBy;
}

/** How the history and "try it" name a rule: its name, or "#2 thinking, input > 60000 tokens". */
export function describeRule(rule: RoutingRule, index: number): string {
  if (rule.name) return rule.name;
  const { when } = rule;
  const parts: string[] = [];
  if (when.thinking !== undefined) parts.push(when.thinking ? 'thinking' : 'no thinking');
  if (when.inputTokensOver !== undefined) parts.push(`input > ${when.inputTokensOver} tokens`);
  if (when.modelMatches !== undefined) parts.push(`model ~ ${when.modelMatches}`);
  if (when.client !== undefined) parts.push(`client ${when.client}`);
  if (when.hasImages !== undefined) parts.push(when.hasImages ? 'has images' : 'no images');
  return `#${index + 1} ${parts.join(', ')}`;
}
