/**
 * What is known about a model name a client sees: the alias's own metadata, else what discovery
 * reported for its first target's upstream model.
 */
import type { ModelMetadata } from '../control/contract.ts';
import type { Store } from '../store/types.ts';
import type { Router } from './router.ts';

export function resolveModelMetadata(name: string, deps: { store: Store; router: Router }): ModelMetadata {
  let resolution;
  try {
    resolution = deps.router.resolve(name);
  } catch {
    return {};
  }
  const first = resolution.targets[0];
  const discovered = first ? deps.store.models.list(first.provider).find((model) => model.model === first.model)?.metadata ?? {} : {};
  return { ...discovered, ...(resolution.alias?.metadata ?? {}) };
}
