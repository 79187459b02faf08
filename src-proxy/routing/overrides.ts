/**
 * Per-target parameter overrides of an alias: a max-tokens default, a fixed or clamped
 * temperature, a top_p, a reasoning effort. Pure; applied by every provider before sending.
 */
import type { ChatRequest } from '../canonical/types.ts';
import type { ModelMetadata, TargetOverrides } from '../control/contract.ts';

export function applyOverrides(request: ChatRequest, overrides: TargetOverrides | undefined, metadata?: ModelMetadata): ChatRequest {
  const limit = metadata?.maxOutputTokens;
  // A client may ask for more output than this target allows (Claude Code sends 128000 to any
  // model): clamp to the target's known limit rather than let the provider answer 400.
  const overLimit = limit !== undefined && request.maxTokens !== undefined && request.maxTokens > limit;
  if (!overrides && !overLimit) return request;
  const next: ChatRequest = { ...request };
  if (overLimit) next.maxTokens = limit;
  if (!overrides) return next;
  if (overrides.maxTokens !== undefined && next.maxTokens === undefined) next.maxTokens = overrides.maxTokens;
  if (overrides.temperature !== undefined) next.temperature = overrides.temperature;
  if (overrides.maxTemperature !== undefined && next.temperature !== undefined) {
    next.temperature = Math.min(next.temperature, overrides.maxTemperature);
  }
  if (overrides.topP !== undefined) next.topP = overrides.topP;
  if (overrides.reasoningEffort !== undefined) next.reasoning = { ...next.reasoning, effort: overrides.reasoningEffort };
  return next;
}

/** The same overrides for a raw OpenAI-shaped body on the fast path (snake_case fields). */
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
