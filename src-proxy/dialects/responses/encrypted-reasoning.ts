/**
 * The Responses `reasoning.encrypted_content` slot carries signed reasoning across turns: Codex
 * asks for it (`include: ["reasoning.encrypted_content"]`, `store: false`) and replays it
 * verbatim in the next request's input.
 *
 * Content OpenAI issued is kept as is (a Signature of provider 'openai'). Signed reasoning from
 * another vendor (an Anthropic thinking signature, Anthropic redacted thinking, a Gemini thought
 * signature) is wrapped in a small envelope naming its vendor, so it comes back to the provider
 * that issued it and every other provider drops it (canonical/types.ts: signatures are
 * vendor-bound).
 */
import type { Signature } from '../../canonical/types.ts';
import { unwrapSignature, wrapSignature, type DecodedSignature } from '../../canonical/signature-envelope.ts';

export type DecodedReasoning = DecodedSignature;

export function encodeEncryptedContent(signature: Signature, redacted: boolean): string {
  if (signature.provider === 'openai' && !redacted) return signature.value;
  return wrapSignature(signature, redacted);
}

/** `signsReasoning(kind)` says which provider kinds issue signed reasoning (from the provider registry). */
export function decodeEncryptedContent(value: string, signsReasoning: (kind: string) => boolean): DecodedReasoning {
  return unwrapSignature(value, signsReasoning) ?? { signature: { provider: 'openai', value } };
}
