/**
 * GET /v1/models and /v1/models/{id}: exposed aliases and the models discovered at enabled
 * providers (as provider/model addresses), with context window, max output and capabilities as
 * extra fields so IDEs stop guessing.
 */
import type { DialectContext } from '../types.ts';

export interface ListedModel {
  id: string;
  ownedBy: string;
  created: number;
}

/** Every model name a client can use right now, aliases first. */
export function listExposedModels(context: DialectContext): ListedModel[] {
  const providers = new Map(context.store.providers.list().map((provider) => [provider.id, provider]));
  const out: ListedModel[] = [];
  for (const alias of context.store.aliases.list()) {
    if (!alias.exposed || alias.alias.includes('*')) continue;
    out.push({ id: alias.alias, ownedBy: 'switchboard', created: Math.floor(alias.createdAt / 1000) });
  }
  for (const model of context.store.models.list()) {
    if (!providers.get(model.providerId)?.enabled) continue;
    out.push({ id: model.address, ownedBy: model.providerId, created: Math.floor(model.discoveredAt / 1000) });
  }
  return out;
}

export function openAiModelObject(context: DialectContext, model: ListedModel): Record<string, unknown> {
  const metadata = context.modelMetadata(model.id);
  return {
    id: model.id,
    object: 'model',
    created: model.created,
    owned_by: model.ownedBy,
    ...(metadata.contextWindow ? { context_window: metadata.contextWindow, context_length: metadata.contextWindow } : {}),
    ...(metadata.maxOutputTokens ? { max_output_tokens: metadata.maxOutputTokens } : {}),
    ...(metadata.capabilities ? { capabilities: metadata.capabilities } : {}),
  };
}
