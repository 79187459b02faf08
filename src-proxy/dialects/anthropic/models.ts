/**
 * GET /v1/models and /v1/models/{id} in Anthropic's shape, for requests carrying
 * `anthropic-version` (the Anthropic SDKs, Claude Code's gateway model discovery). The OpenAI
 * dialect owns the routes and calls these; the model list itself is shared.
 */
import { GatewayError } from '../../errors/codes.ts';
import type { ErrorResponse, DialectContext } from '../types.ts';
import { listExposedModels, type ListedModel } from '../openai/models.ts';
import { renderAnthropicError } from './errors.ts';

export function wantsAnthropicShape(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['anthropic-version'] !== undefined;
}

function modelObject(context: DialectContext, model: ListedModel): Record<string, unknown> {
  const metadata = context.modelMetadata(model.id);
  return {
    type: 'model',
    id: model.id,
    display_name: model.id,
    created_at: new Date(model.created * 1000).toISOString(),
    max_input_tokens: metadata.contextWindow ?? null,
    max_tokens: metadata.maxOutputTokens ?? null,
  };
}

export function anthropicModelList(context: DialectContext): Record<string, unknown> {
  const data = listExposedModels(context).map((model) => modelObject(context, model));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** One model, or the Anthropic 404 for a name that neither is listed nor resolves. */
export function anthropicModel(context: DialectContext, id: string): { status: number; body: unknown } {
  const model = listExposedModels(context).find((entry) => entry.id === id);
  if (model) return { status: 200, body: modelObject(context, model) };
  try {
    context.router.resolve(id);
    return { status: 200, body: modelObject(context, { id, ownedBy: 'switchboard', created: 0 }) };
  } catch (error) {
    const rendered: ErrorResponse = renderAnthropicError(error instanceof GatewayError ? error : new GatewayError('model_not_found'));
    return { status: rendered.status, body: rendered.body };
  }
}
