/**
 * What is known about a model, field by field, most specific first:
 *   1. the alias's own metadata (what the user set for the name a client sees);
 *   2. the metadata of the discovered upstream model (what the provider reported, or what the
 *      user set for that provider model);
 *   3. built-in family defaults (model-families.ts), looked up by the upstream model id, then by
 *      the name the client used.
 * `capabilities` is replaced as a whole, never merged, so a user can take one away.
 */
import { familyDefaults } from './model-families.ts';
import type { ModelMetadata } from './model-metadata.ts';

export function mergeModelMetadata(layers: { alias?: ModelMetadata; discovered?: ModelMetadata; upstreamModel?: string; requestedName?: string }): ModelMetadata {
  let defaults = layers.upstreamModel ? familyDefaults(layers.upstreamModel) : {};
  if (Object.keys(defaults).length === 0 && layers.requestedName) defaults = familyDefaults(layers.requestedName);
  return { ...defaults, ...(layers.discovered ?? {}), ...(layers.alias ?? {}) };
}

/** Metadata of one concrete target of an alias (used by providers, e.g. Ollama's num_ctx). */
export function targetMetadata(alias: { alias: string; metadata: ModelMetadata } | null, discovered: ModelMetadata | undefined, upstreamModel: string): ModelMetadata {
  return mergeModelMetadata({ alias: alias?.metadata, discovered, upstreamModel, requestedName: alias?.alias });
}
