/**
 * Per-target parameter overrides of an alias: a max-tokens default, a fixed or clamped
 * temperature, a top_p, a reasoning effort. Pure; applied by every provider before sending a
 * translated request (same-dialect bodies: each wire format's own helper, e.g. wire/openai/overrides.ts).
 * `note` hears the changes a user would care about (the history row's notes).
 */
import { withFields } from '../wire/with-fields.ts';
import type { ChatRequest } from './types.ts';
import type { ModelMetadata } from '../domain/model-metadata.ts';
import type { TargetOverrides } from '../domain/overrides.ts';

export function applyOverrides(request: ChatRequest, overrides: TargetOverrides | undefined, metadata?: ModelMetadata, note?: (text: string) => void): ChatRequest {
  const limit = metadata?.maxOutputTokens;
  // A client may ask for more output than this target allows (Claude Code sends 128000 to any
  // model): clamp to the target's known limit rather than let the provider answer 400.
  const overLimit = limit !== undefined && request.maxTokens !== undefined && request.maxTokens > limit;
  if (!overrides && !overLimit) return request;
  const next: ChatRequest = { ...request };
  if (overLimit) {
    next.maxTokens = limit;
    note?.(`max_tokens ${request.maxTokens} lowered to ${limit}, the model's output limit`);
  }
  if (!overrides) return next;
  if (overrides.maxTokens !== undefined && next.maxTokens === undefined) next.maxTokens = overrides.maxTokens;
  if (overrides.temperature !== undefined) next.temperature = overrides.temperature;
  if (overrides.maxTemperature !== undefined && next.temperature !== undefined) {
    next.temperature = Math.min(next.temperature, overrides.maxTemperature);
  }
  if (overrides.topP !== undefined) next.topP = overrides.topP;
  if (overrides.reasoningEffort !== undefined) next.reasoning = withFields(next.reasoning ?? {}, { effort: overrides.reasoningEffort });
  return next;
}
