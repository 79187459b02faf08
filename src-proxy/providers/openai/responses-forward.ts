/**
 * Responses fast path for OpenAI-compatible providers that offer `/v1/responses` (OpenAI itself,
 * and any server whose provider options say `supportsResponses: true`). The client's Responses
 * body goes upstream with only the model (and the alias's parameter overrides) rewritten, and
 * the upstream's SSE bytes go back untouched (dialects/responses/passthrough.ts taps them).
 */
import { withFields } from '../../wire/with-fields.ts';
import type { NativeCall, ResolvedTarget } from '../types.ts';
import { optionsOf } from '../../domain/provider-kind.ts';
import type { ProviderRecord } from '../../domain/provider.ts';
import { OPENAI_OPTIONS } from './options.ts';

export const RESPONSES_PATH = '/responses';

/**
 * Whether a provider takes Responses requests unchanged. The provider option wins; without one,
 * only OpenAI's own API is assumed to have it (most OpenAI-compatible servers offer only chat
 * completions, and a wrong "yes" would fail every request with a 404).
 */
export function supportsResponses(provider: ProviderRecord): boolean {
  const declared = optionsOf(provider, OPENAI_OPTIONS).supportsResponses;
  if (declared !== undefined) return declared;
  return isOpenAiApi(provider.baseUrl);
}

/** By base URL: parsing it again on every Responses request cost more than the rest of the route's choice. */
const openAiApi = new Map<string, boolean>();

function isOpenAiApi(baseUrl: string): boolean {
  let known = openAiApi.get(baseUrl);
  if (known === undefined) {
    try {
      known = new URL(baseUrl).hostname === 'api.openai.com';
    } catch {
      known = false;
    }
    // A handful of base URLs in practice; bounded for a process that sees many over its life.
    if (openAiApi.size >= 64) openAiApi.clear();
    openAiApi.set(baseUrl, known);
  }
  return known;
}

/** The upstream body: the client's body with the upstream model and the target's overrides. */
export function buildResponsesUpstreamBody(call: NativeCall, target: ResolvedTarget): string {
  const body: Record<string, unknown> = withFields(call.body, { model: target.model });
  const overrides = target.overrides;
  if (overrides) {
    if (overrides.maxTokens !== undefined && body.max_output_tokens === undefined) body.max_output_tokens = overrides.maxTokens;
    if (overrides.temperature !== undefined) body.temperature = overrides.temperature;
    if (overrides.maxTemperature !== undefined && typeof body.temperature === 'number') body.temperature = Math.min(body.temperature, overrides.maxTemperature);
    if (overrides.topP !== undefined) body.top_p = overrides.topP;
    if (overrides.reasoningEffort !== undefined) {
      const reasoning = typeof body.reasoning === 'object' && body.reasoning !== null ? body.reasoning : {};
      body.reasoning = withFields(reasoning, { effort: overrides.reasoningEffort === 'max' ? 'high' : overrides.reasoningEffort });
    }
  }
  return JSON.stringify(body);
}
