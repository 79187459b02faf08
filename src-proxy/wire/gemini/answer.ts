/**
 * Finish reasons and token usage of Gemini answers, both ways: the Gemini provider reads them
 * from an upstream, the Gemini front door writes them for its clients (docs/wire-formats.md,
 * "Gemini", "Mappings", "Token counting").
 */
import type { FinishReason, Usage } from '../../canonical/types.ts';
import type { GeminiUsageMetadata } from './types.ts';

const FILTER_REASONS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);
/** The model tried to call a tool and failed; with nothing else produced this is an error. */
export const BAD_CALL_REASONS: ReadonlySet<string> = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

export function mapGeminiFinishReason(reason: string): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTER_REASONS.has(reason)) return 'content_filter';
  return 'stop';
}

/** Canonical → Gemini. A tool call ends with STOP in Gemini: the functionCall parts say the rest. */
export function geminiFinishReason(reason: FinishReason): string {
  switch (reason) {
    case 'length':
      return 'MAX_TOKENS';
    case 'content_filter':
      return 'SAFETY';
    case 'error':
      return 'OTHER';
    default:
      return 'STOP';
  }
}

/** Gemini's counts: the prompt includes cached tokens; candidates exclude thoughts. */
export function mapGeminiUsage(usage: GeminiUsageMetadata): Partial<Usage> {
  const thoughts = usage.thoughtsTokenCount ?? 0;
  const mapped: Partial<Usage> = {
    inputTokens: (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0),
    outputTokens: (usage.candidatesTokenCount ?? 0) + thoughts,
  };
  if (thoughts > 0) mapped.reasoningTokens = thoughts;
  if (usage.cachedContentTokenCount) mapped.cacheReadTokens = usage.cachedContentTokenCount;
  return mapped;
}

/** Canonical → Gemini `usageMetadata` (thoughts counted apart from the candidates). */
export function geminiUsageMetadata(usage: Partial<Usage>): GeminiUsageMetadata {
  const prompt = usage.inputTokens ?? 0;
  const thoughts = usage.reasoningTokens ?? 0;
  const candidates = Math.max(0, (usage.outputTokens ?? 0) - thoughts);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    ...(usage.cacheReadTokens ? { cachedContentTokenCount: usage.cacheReadTokens } : {}),
    totalTokenCount: prompt + candidates + thoughts,
  };
}
