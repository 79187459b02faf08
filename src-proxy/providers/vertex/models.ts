/**
 * The models a Vertex provider offers without being told. Vertex has no single call that lists
 * the publisher models a project may use (the Model Garden listing is a preview API and names
 * models that need enabling first), so this is a documented static list of the current Gemini and
 * Claude models; any other model id works too by its provider/model address or an alias.
 */
import type { ModelMetadata } from '../../domain/model-metadata.ts';

export const VERTEX_MODELS: ReadonlyArray<{ model: string; metadata: ModelMetadata }> = [
  { model: 'gemini-2.5-pro', metadata: { capabilities: ['completion', 'tools', 'vision', 'thinking'], contextWindow: 1_048_576, maxOutputTokens: 65_536 } },
  { model: 'gemini-2.5-flash', metadata: { capabilities: ['completion', 'tools', 'vision', 'thinking'], contextWindow: 1_048_576, maxOutputTokens: 65_536 } },
  { model: 'gemini-2.5-flash-lite', metadata: { capabilities: ['completion', 'tools', 'vision', 'thinking'], contextWindow: 1_048_576, maxOutputTokens: 65_536 } },
  { model: 'claude-sonnet-4-5@20250929', metadata: { capabilities: ['completion', 'tools', 'vision', 'thinking'], contextWindow: 200_000, maxOutputTokens: 64_000 } },
  { model: 'claude-opus-4-1@20250805', metadata: { capabilities: ['completion', 'tools', 'vision', 'thinking'], contextWindow: 200_000, maxOutputTokens: 32_000 } },
  { model: 'claude-3-5-haiku@20241022', metadata: { capabilities: ['completion', 'tools'], contextWindow: 200_000, maxOutputTokens: 8_192 } },
];
