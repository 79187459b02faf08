/**
 * GET /v1/models and /v1/models/{id} in OpenAI's shape: the exposed model list, with context
 * window, max output and capabilities as extra fields so IDEs stop guessing.
 */
import type { DialectContext } from '../../http/dialect-context.ts';
import type { ListedModel } from '../../routing/exposed-models.ts';

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
