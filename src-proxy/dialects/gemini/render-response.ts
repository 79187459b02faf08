/**
 * Canonical answers → Gemini's GenerateContentResponse: parts (thought text with its signature,
 * text, whole functionCall parts with object args), the finish reason (a tool call ends with
 * STOP; the parts say the rest) and usageMetadata (docs/wire-formats.md, "Gemini").
 */
import { parseArguments } from '../../canonical/json-args.ts';
import type { AssistantPart, ChatResponse } from '../../canonical/types.ts';
import { geminiFinishReason, geminiUsageMetadata } from '../../wire/gemini/answer.ts';
import type { GeminiPart, GeminiResponse } from '../../wire/gemini/types.ts';
import { encodeThoughtSignature } from './signatures.ts';

export interface AnswerMeta {
  /** The model the client asked for (its own name, as Gemini echoes it). */
  model: string;
  responseId: string;
  includeThoughts: boolean;
}

/** One canonical part → its Gemini part, or null (empty text, thoughts the client did not ask for). */
export function geminiPartOf(part: AssistantPart, includeThoughts: boolean): GeminiPart | null {
  if (part.type === 'text') return part.text === '' ? null : { text: part.text };
  if (part.type === 'tool_call') {
    return {
      functionCall: { id: part.id, name: part.name, args: parseArguments(part.arguments) },
      ...(part.signature ? { thoughtSignature: encodeThoughtSignature(part.signature, false) } : {}),
    };
  }
  const signature = part.redacted ? encodeThoughtSignature(part.redacted, true) : part.signature ? encodeThoughtSignature(part.signature, false) : undefined;
  if (!includeThoughts && !signature) return null;
  const text = includeThoughts ? part.text : '';
  if (text === '' && !signature) return null;
  return { text, thought: true, ...(signature ? { thoughtSignature: signature } : {}) };
}

export function renderGeminiResponse(response: ChatResponse, meta: AnswerMeta): GeminiResponse {
  const parts = response.content.map((part) => geminiPartOf(part, meta.includeThoughts)).filter((part): part is GeminiPart => part !== null);
  return {
    candidates: [{ content: { role: 'model', parts: parts.length > 0 ? parts : [{ text: '' }] }, finishReason: geminiFinishReason(response.finishReason), index: 0 }],
    usageMetadata: geminiUsageMetadata(response.usage),
    modelVersion: meta.model,
    responseId: meta.responseId,
  };
}
