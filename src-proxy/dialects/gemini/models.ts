/**
 * GET /v1beta/models and /v1beta/models/{model} in Gemini's shape: every model name a client can
 * use here (exposed aliases, discovered provider/model addresses) as `models/<name>`, with the
 * token limits and methods the metadata says (docs/wire-formats.md, "Gemini").
 */
import type { ModelMetadata } from '../../domain/model-metadata.ts';
import type { ListedModel } from '../../routing/exposed-models.ts';

const CHAT_METHODS = ['generateContent', 'streamGenerateContent', 'countTokens'];
const EMBED_METHODS = ['embedContent', 'batchEmbedContents', 'countTokens'];

export function geminiModelObject(model: Pick<ListedModel, 'id'>, metadata: ModelMetadata): Record<string, unknown> {
  const embedding = metadata.capabilities?.includes('embedding') === true;
  return {
    name: `models/${model.id}`,
    baseModelId: model.id,
    version: '001',
    displayName: model.id,
    description: `Routed by Switchboard${metadata.family ? ` (${metadata.family} family)` : ''}`,
    ...(metadata.contextWindow ? { inputTokenLimit: metadata.contextWindow } : {}),
    ...(metadata.maxOutputTokens ? { outputTokenLimit: metadata.maxOutputTokens } : {}),
    supportedGenerationMethods: embedding ? EMBED_METHODS : CHAT_METHODS,
    ...(metadata.capabilities?.includes('thinking') ? { thinking: true } : {}),
  };
}
