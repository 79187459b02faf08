/**
 * The request fields /api/chat and /api/generate share: `options`, `format`, `think` and
 * `images`, mapped onto the canonical request. Options without a canonical slot (min_p,
 * repeat_penalty, num_gpu, …) are kept in extra.ollama.options for an Ollama upstream.
 */
import type { ChatRequest, ImagePart, ReasoningConfig, ResponseFormat } from '../../canonical/types.ts';
import { asArray, fieldError, isRecord, mustBe, optionalNumber, parseDataUrl } from '../../wire/validate.ts';

type SamplingFields = Pick<ChatRequest, 'maxTokens' | 'contextWindow' | 'temperature' | 'topP' | 'topK' | 'stop' | 'seed' | 'frequencyPenalty' | 'presencePenalty'>;

const MAPPED_OPTIONS = new Set(['num_predict', 'num_ctx', 'temperature', 'top_p', 'top_k', 'stop', 'seed', 'frequency_penalty', 'presence_penalty']);

export function parseOptions(raw: unknown): { fields: SamplingFields; rest: Record<string, unknown> | null } {
  if (raw === undefined || raw === null) return { fields: {}, rest: null };
  if (!isRecord(raw)) throw fieldError({ ...mustBe('options', 'an object', raw, 'Send "options" as a JSON object ({"temperature": 0.7, …})'), optional: true });
  const numPredict = optionalNumber(raw.num_predict, 'options.num_predict');
  const numCtx = optionalNumber(raw.num_ctx, 'options.num_ctx');
  const stop = raw.stop;
  // Key by key onto one object, in the order the canonical request lists them (a literal that
  // starts with a spread and then adds keys gets a hidden class of its own on every request:
  // test/perf/spread-shapes.test.ts).
  const fields: SamplingFields = {};
  // num_predict -1 (unlimited) and -2 (fill the context) have no canonical equivalent: no limit.
  if (numPredict !== undefined && numPredict > 0) fields.maxTokens = numPredict;
  if (numCtx !== undefined && numCtx > 0) fields.contextWindow = numCtx;
  fields.temperature = optionalNumber(raw.temperature, 'options.temperature');
  fields.topP = optionalNumber(raw.top_p, 'options.top_p');
  fields.topK = optionalNumber(raw.top_k, 'options.top_k');
  fields.seed = optionalNumber(raw.seed, 'options.seed');
  fields.frequencyPenalty = optionalNumber(raw.frequency_penalty, 'options.frequency_penalty');
  fields.presencePenalty = optionalNumber(raw.presence_penalty, 'options.presence_penalty');
  if (typeof stop === 'string') fields.stop = [stop];
  else if (Array.isArray(stop)) fields.stop = stop.filter((s): s is string => typeof s === 'string');
  let rest: Record<string, unknown> | null = null;
  for (const key in raw) {
    if (MAPPED_OPTIONS.has(key)) continue;
    rest ??= {};
    rest[key] = raw[key];
  }
  return { fields, rest };
}

/** `format`: "json" or a JSON schema object; "" and null mean plain text. */
export function parseFormat(raw: unknown): ResponseFormat | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === 'json') return { type: 'json' };
  if (isRecord(raw)) return { type: 'json_schema', name: 'response', schema: raw };
  throw fieldError({ ...mustBe('format', '"json" or a JSON schema object', raw, 'Send "format" as the string "json", or as a JSON schema object ({"type": "object", …})'), optional: true });
}

/** `think`: a boolean, or an effort level ("low" | "medium" | "high", newer servers also "max"). */
export function parseThink(raw: unknown): ReasoningConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'boolean') return { enabled: raw };
  if (raw === 'low' || raw === 'medium' || raw === 'high' || raw === 'max') return { enabled: true, effort: raw };
  throw fieldError({ ...mustBe('think', 'true, false, "low", "medium", "high" or "max"', raw, 'Send "think" as true or false (without quotes), or as one of "low", "medium", "high", "max"'), optional: true });
}

/** The media type of base64 image data, from its first bytes (Ollama sends no type). */
export function sniffImageType(base64: string): string {
  if (base64.startsWith('iVBOR')) return 'image/png';
  if (base64.startsWith('/9j/')) return 'image/jpeg';
  if (base64.startsWith('R0lGOD')) return 'image/gif';
  if (base64.startsWith('UklGR')) return 'image/webp';
  return 'image/png';
}

/** `images`: raw base64 strings (Ollama); data URLs are accepted too. */
export function parseImages(raw: unknown, path: string): ImagePart[] {
  if (raw === undefined || raw === null) return [];
  return asArray(raw, path).map((entry, index): ImagePart => {
    if (typeof entry !== 'string' || entry === '') throw fieldError(mustBe(`${path}[${index}]`, 'base64 image data', entry, `Send each entry of "${path}" as a string of base64 image bytes (no data: prefix needed)`));
    const dataUrl = entry.startsWith('data:') ? parseDataUrl(entry) : null;
    if (dataUrl) return { type: 'image', source: { kind: 'base64', mediaType: dataUrl.mediaType, data: dataUrl.data } };
    return { type: 'image', source: { kind: 'base64', mediaType: sniffImageType(entry), data: entry } };
  });
}

/** Ollama streams unless told not to (the opposite of OpenAI). */
export function wantsStream(body: Record<string, unknown>): boolean {
  return body.stream !== false;
}
