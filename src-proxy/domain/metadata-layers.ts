/**
 * What is known about a model, field by field, most specific first:
 *   1. the alias's own metadata (what the user set for the name a client sees);
 *   2. the metadata of the discovered upstream model (what the provider reported, or what the
 *      user set for that provider model);
 *   3. built-in family defaults (model-families.ts), looked up by the upstream model id, then by
 *      the name the client used.
 *   4. for capabilities only: what the provider kind implies for a model it knows nothing of
 *      (cloud chat APIs: completion and tools, so IDE agent modes do not hide the model).
 * `capabilities` is replaced as a whole, never merged, so a user can take one away.
 */
import { familyDefaults } from './model-families.ts';
import type { Capability, ModelMetadata } from './model-metadata.ts';

export function mergeModelMetadata(layers: {
  alias?: ModelMetadata;
  discovered?: ModelMetadata;
  upstreamModel?: string;
  requestedName?: string;
  kindCapabilities?: readonly Capability[];
}): ModelMetadata {
  let defaults = layers.upstreamModel ? familyDefaults(layers.upstreamModel) : {};
  if (Object.keys(defaults).length === 0 && layers.requestedName) defaults = familyDefaults(layers.requestedName);
  // Object.assign, not a literal that starts with a spread: it runs per request for providers that
  // read a target's metadata (Ollama's num_ctx), and the spread would make a hidden class each time.
  const merged: ModelMetadata = Object.assign({}, defaults, layers.discovered, layers.alias);
  if (!merged.capabilities && layers.kindCapabilities) merged.capabilities = [...layers.kindCapabilities];
  return merged;
}

/** Metadata of one concrete target of an alias (used by providers, e.g. Ollama's num_ctx). */
export function targetMetadata(
  alias: { alias: string; metadata: ModelMetadata } | null,
  discovered: ModelMetadata | undefined,
  upstreamModel: string,
  kindCapabilities?: readonly Capability[],
): ModelMetadata {
  return mergeModelMetadata({ alias: alias?.metadata, discovered, upstreamModel, requestedName: alias?.alias, kindCapabilities });
}
