/**
 * A model alias: the name a client asks for, and the ordered targets (provider + upstream model,
 * optional overrides) the router tries for it.
 */
import { z } from 'zod';
import { modelMetadataSchema, type ModelMetadata } from './model-metadata.ts';
import type { ManagedBy } from './ownership.ts';
import { targetOverridesSchema } from './overrides.ts';
import { providerIdSchema } from './provider.ts';

export const targetSchema = z
  .object({ provider: providerIdSchema, model: z.string().min(1), overrides: targetOverridesSchema.optional() })
  .strict();
export type AliasTarget = z.infer<typeof targetSchema>;

/**
 * The response cache for an alias (opt-in): answers are kept for ttlSeconds and replayed to any
 * client asking the same question of the same targets (cache/ explains the key).
 */
export const aliasCacheSchema = z
  .object({ ttlSeconds: z.number().int().min(1).max(365 * 24 * 3600) })
  .strict();
export type AliasCache = z.infer<typeof aliasCacheSchema>;

export const aliasInputSchema = z
  .object({
    alias: z.string().min(1).max(200),
    targets: z.array(targetSchema).min(1),
    exposed: z.boolean().optional(),
    metadata: modelMetadataSchema.optional(),
    /** Absent or null: answers are not cached. */
    cache: aliasCacheSchema.nullable().optional(),
  })
  .strict();
export type AliasInput = z.infer<typeof aliasInputSchema>;

/** Changes to an existing alias; `newAlias` renames it. */
export const aliasUpdateSchema = z
  .object({
    alias: z.string().min(1).max(200),
    newAlias: z.string().min(1).max(200).optional(),
    targets: z.array(targetSchema).min(1).optional(),
    exposed: z.boolean().optional(),
    metadata: modelMetadataSchema.optional(),
    /** null turns the cache off; absent keeps it as it is. */
    cache: aliasCacheSchema.nullable().optional(),
  })
  .strict();
export type AliasUpdate = z.infer<typeof aliasUpdateSchema>;

export interface AliasInfo {
  alias: string;
  targets: AliasTarget[];
  exposed: boolean;
  metadata: ModelMetadata;
  /** Null when answers of this alias are not cached. */
  cache: AliasCache | null;
  createdAt: number;
  updatedAt: number;
  managedBy: ManagedBy;
}
