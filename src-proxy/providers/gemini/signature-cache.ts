/**
 * Gemini thought signatures by tool-call id, for clients whose dialect has no slot to carry
 * them (OpenAI Chat, Ollama): Gemini 3 answers 400 when a functionCall it issued comes back
 * without its `thoughtSignature` (wire-formats §8.5: "cache by call id if the client dialect
 * has no slot"). Bounded, oldest entries go first; ids this provider makes are unique per answer.
 */
export interface SignatureCache {
  remember(callId: string, signature: string): void;
  recall(callId: string): string | undefined;
}

export function createSignatureCache(capacity = 4096): SignatureCache {
  const entries = new Map<string, string>();
  return {
    remember(callId, signature) {
      entries.delete(callId);
      entries.set(callId, signature);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    },
    recall(callId) {
      return entries.get(callId);
    },
  };
}
