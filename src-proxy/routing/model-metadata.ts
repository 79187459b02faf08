/**
 * Metadata for a model name a client sees (an alias, an address or a discovered model id): the
 * router resolves the name, domain/metadata-layers.ts merges what is known about its first target.
 */
import { familyDefaults } from '../domain/model-families.ts';
import { mergeModelMetadata } from '../domain/metadata-layers.ts';
import type { ModelMetadata } from '../domain/model-metadata.ts';
import type { Router } from './router.ts';

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
    kindCapabilities: first ? deps.router.unknownModelCapabilities(first.provider) : undefined,
  });
}
