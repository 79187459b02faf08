/**
 * An alias target's overrides (domain/overrides.ts) applied to a raw OpenAI-shaped body on the
 * same-dialect fast path, where the body is forwarded rather than translated.
 */
import type { ModelMetadata } from '../../domain/model-metadata.ts';
import type { TargetOverrides } from '../../domain/overrides.ts';

/** snake_case fields; the limit clamps what the client asked for, as for translated requests. */
export function applyOverridesToOpenAiBody(body: Record<string, unknown>, overrides: TargetOverrides | undefined, metadata?: ModelMetadata): void {
  const limit = metadata?.maxOutputTokens;
  if (limit !== undefined) {
    for (const field of ['max_tokens', 'max_completion_tokens'] as const) {
      const asked = body[field];
      if (typeof asked === 'number' && asked > limit) body[field] = limit;
    }
  }
  if (!overrides) return;
  if (overrides.maxTokens !== undefined && body.max_tokens === undefined && body.max_completion_tokens === undefined) {
    body.max_tokens = overrides.maxTokens;
  }
  if (overrides.temperature !== undefined) body.temperature = overrides.temperature;
  if (overrides.maxTemperature !== undefined && typeof body.temperature === 'number') {
    body.temperature = Math.min(body.temperature, overrides.maxTemperature);
  }
  if (overrides.topP !== undefined) body.top_p = overrides.topP;
  if (overrides.reasoningEffort !== undefined) body.reasoning_effort = overrides.reasoningEffort === 'max' ? 'high' : overrides.reasoningEffort;
}
