/**
 * The same-dialect fast path to Gemini: a Gemini client's body goes upstream unchanged but for
 * the model (in the URL, and in the `model` fields batch requests carry) and the alias's
 * overrides on `generationConfig`. The answer's bytes go back untouched.
 */
import { withFields } from '../../wire/with-fields.ts';
import type { TargetOverrides } from '../../domain/overrides.ts';
import type { ModelMetadata } from '../../domain/model-metadata.ts';
import { GEMINI_NATIVE_METHODS, type GeminiNativeEndpoint } from '../../wire/gemini/endpoints.ts';
import type { NativeCall, ResolvedTarget } from '../types.ts';
import { geminiMethodUrl, geminiModelResource } from './endpoint.ts';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Overrides and the target's output limit on a raw `generationConfig` (camelCase, as clients send it). */
export function applyOverridesToGeminiBody(body: Record<string, unknown>, overrides: TargetOverrides | undefined, metadata?: ModelMetadata): void {
  const config: Record<string, unknown> = isRecord(body.generationConfig) ? { ...body.generationConfig } : {};
  const limit = metadata?.maxOutputTokens;
  if (limit !== undefined && typeof config.maxOutputTokens === 'number' && config.maxOutputTokens > limit) config.maxOutputTokens = limit;
  if (overrides) {
    if (overrides.maxTokens !== undefined && config.maxOutputTokens === undefined) config.maxOutputTokens = overrides.maxTokens;
    if (overrides.temperature !== undefined) config.temperature = overrides.temperature;
    if (overrides.maxTemperature !== undefined && typeof config.temperature === 'number') config.temperature = Math.min(config.temperature, overrides.maxTemperature);
    if (overrides.topP !== undefined) config.topP = overrides.topP;
  }
  if (Object.keys(config).length > 0 || body.generationConfig !== undefined) body.generationConfig = config;
}

/** URL and body for one native call; `query` is the client's (`alt=sse` or none for a stream). */
export function buildGeminiNativeCall(call: NativeCall & { endpoint: GeminiNativeEndpoint }, target: ResolvedTarget): { url: string; body: string } {
  const method = GEMINI_NATIVE_METHODS[call.endpoint];
  const resource = geminiModelResource(target.model);
  const body: Record<string, unknown> = { ...call.body };
  if (method === 'generateContent' || method === 'streamGenerateContent') applyOverridesToGeminiBody(body, target.overrides, target.metadata);
  if (method === 'batchEmbedContents' && Array.isArray(body.requests)) {
    body.requests = body.requests.map((request) => (isRecord(request) ? withFields(request, { model: resource }) : request));
  }
  if (method === 'embedContent' && body.model !== undefined) body.model = resource;
  if (method === 'countTokens' && isRecord(body.generateContentRequest)) body.generateContentRequest = withFields(body.generateContentRequest, { model: resource });
  let url = geminiMethodUrl(target.provider.baseUrl, target.model, method);
  // A stream without alt=sse is one JSON array: the client asked for that form, so it gets it.
  if (method === 'streamGenerateContent' && !/(^|&)alt=sse(&|$)/.test(call.query ?? '')) url = url.replace(/\?alt=sse$/, '');
  return { url, body: JSON.stringify(body) };
}
