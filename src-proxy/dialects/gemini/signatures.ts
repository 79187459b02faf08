/**
 * Gemini clients carry signed reasoning in `thoughtSignature` and send it back verbatim on the
 * same part (docs/wire-formats.md, "Signed reasoning"). A Gemini upstream's signature travels as
 * it came. Another vendor's (an Anthropic thinking signature, redacted thinking) is wrapped in a
 * small envelope naming its vendor, base64 like a real signature, so it returns to the provider
 * that issued it and every other provider drops it.
 */
import type { Signature } from '../../canonical/types.ts';
import { unwrapSignature, wrapSignature, type DecodedSignature } from '../../canonical/signature-envelope.ts';

export type DecodedThought = DecodedSignature;

export function encodeThoughtSignature(signature: Signature, redacted: boolean): string {
  if (signature.provider === 'gemini' && !redacted) return signature.value;
  return Buffer.from(wrapSignature(signature, redacted), 'utf8').toString('base64');
}

/** `signsReasoning(kind)`: the provider kinds whose signatures are kept (ProviderSpoke.signsReasoning). */
export function decodeThoughtSignature(value: string, signsReasoning: (kind: string) => boolean): DecodedThought {
  return unwrapSignature(Buffer.from(value, 'base64').toString('utf8'), signsReasoning) ?? { signature: { provider: 'gemini', value } };
}
