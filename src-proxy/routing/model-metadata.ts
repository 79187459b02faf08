/**
 * What is known about a model, field by field, most specific first:
 *   1. the alias's own metadata (what the user set for the name a client sees);
 *   2. the metadata of the discovered upstream model (what the provider reported, or what the
 *      user set for that provider model);
 *   3. built-in family defaults (model-defaults.ts), looked up by the upstream model id, then by
 *      the name the client used.
 * `capabilities` is replaced as a whole, never merged, so a user can take one away.
 */
import type { AliasInfo, ModelMetadata } from '../control/contract.ts';
import { familyDefaults } from './model-defaults.ts';
import type { Router } from './router.ts';

export function mergeModelMetadata(layers: { alias?: ModelMetadata; discovered?: ModelMetadata; upstreamModel?: string; requestedName?: string }): ModelMetadata {
  let defaults = layers.upstreamModel ? familyDefaults(layers.upstreamModel) : {};
  if (Object.keys(defaults).length === 0 && layers.requestedName) defaults = familyDefaults(layers.requestedName);
  return { ...defaults, ...(layers.discovered ?? {}), ...(layers.alias ?? {}) };
}

/** Metadata of one concrete target of an alias (used by providers, e.g. Ollama's num_ctx). */
export function targetMetadata(alias: AliasInfo | null, discovered: ModelMetadata | undefined, upstreamModel: string): ModelMetadata {
  return mergeModelMetadata({ alias: alias?.metadata, discovered, upstreamModel, requestedName: alias?.alias });
}

/** Metadata for a model name a client sees (an alias, an address or a discovered model id). */
export function resolveModelMetadata(name: string, deps: { router: Router }): ModelMetadata {
  let resolution;
  try {
    resolution = deps.router.resolve(name);
  } catch {
    // A name that does not route (yet) still gets what its family is known for.
    return { ...familyDefaults(name) };
  }
  const first = resolution.targets[0];
  return mergeModelMetadata({
    alias: resolution.alias?.metadata,
    discovered: first ? deps.router.discoveredMetadata(first.provider, first.model) : undefined,
    upstreamModel: first?.model,
    requestedName: name,
  });
}
