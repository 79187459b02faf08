/**
 * Every model name a client can use right now, for the model lists of every front door: exposed
 * aliases first (wildcards are patterns, not names), then the models discovered at enabled
 * providers as provider/model addresses.
 */
import type { Store } from '../store/types.ts';

export interface ListedModel {
  id: string;
  ownedBy: string;
  /** Epoch seconds. */
  created: number;
}

export function listExposedModels(store: Pick<Store, 'providers' | 'aliases' | 'models'>): ListedModel[] {
  const providers = new Map(store.providers.list().map((provider) => [provider.id, provider]));
  const out: ListedModel[] = [];
  for (const alias of store.aliases.list()) {
    if (!alias.exposed || alias.alias.includes('*')) continue;
    out.push({ id: alias.alias, ownedBy: 'switchboard', created: Math.floor(alias.createdAt / 1000) });
  }
  for (const model of store.models.list()) {
    if (!providers.get(model.providerId)?.enabled) continue;
    out.push({ id: model.address, ownedBy: model.providerId, created: Math.floor(model.discoveredAt / 1000) });
  }
  return out;
}
