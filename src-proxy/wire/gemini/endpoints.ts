/**
 * The Gemini methods a same-dialect call can ask a Gemini provider to take unchanged
 * (NativeCall.endpoint → the method in `models/{model}:{method}`).
 */
export const GEMINI_NATIVE_METHODS = {
  'gemini.generateContent': 'generateContent',
  'gemini.streamGenerateContent': 'streamGenerateContent',
  'gemini.countTokens': 'countTokens',
  'gemini.embedContent': 'embedContent',
  'gemini.batchEmbedContents': 'batchEmbedContents',
} as const;

export type GeminiNativeEndpoint = keyof typeof GEMINI_NATIVE_METHODS;
export type GeminiMethod = (typeof GEMINI_NATIVE_METHODS)[GeminiNativeEndpoint];

export function isGeminiNativeEndpoint(endpoint: string): endpoint is GeminiNativeEndpoint {
  return Object.hasOwn(GEMINI_NATIVE_METHODS, endpoint);
}
