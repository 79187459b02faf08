/**
 * Anthropic's model objects (GET /v1/models with `anthropic-version`: the Anthropic SDKs, Claude
 * Code's gateway model discovery). Only the shape; which models exist is the router's business.
 */
import type { ModelMetadata } from '../../domain/model-metadata.ts';

export function wantsAnthropicShape(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['anthropic-version'] !== undefined;
}

export function anthropicModelObject(model: { id: string; created: number }, metadata: ModelMetadata): Record<string, unknown> {
  return {
    type: 'model',
    id: model.id,
    display_name: model.id,
    created_at: new Date(model.created * 1000).toISOString(),
    max_input_tokens: metadata.contextWindow ?? null,
    max_tokens: metadata.maxOutputTokens ?? null,
  };
}

export function anthropicModelPage(data: Array<Record<string, unknown>>): Record<string, unknown> {
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
