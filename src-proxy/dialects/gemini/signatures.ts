/**
 * Gemini clients carry signed reasoning in `thoughtSignature` and send it back verbatim on the
 * same part (docs/wire-formats.md, "Signed reasoning"). A Gemini upstream's signature travels as
 * it came. Another vendor's (an Anthropic thinking signature, redacted thinking) is wrapped in a
 * small envelope naming its vendor, base64 like a real signature, so it returns to the provider
 * that issued it and every other provider drops it.
 */
import type { Signature } from '../../canonical/types.ts';

const PREFIX = 'swb1:';

export function encodeThoughtSignature(signature: Signature, redacted: boolean): string {
  if (signature.provider === 'gemini' && !redacted) return signature.value;
  return Buffer.from(`${PREFIX}${signature.provider}:${redacted ? 'r' : 's'}:${signature.value}`, 'utf8').toString('base64');
}

export interface DecodedThought {
  signature?: Signature;
  /** Redacted reasoning (no readable text), e.g. Anthropic `redacted_thinking`. */
  redacted?: Signature;
}

/** `signsReasoning(kind)`: the provider kinds whose signatures are kept (ProviderSpoke.signsReasoning). */
export function decodeThoughtSignature(value: string, signsReasoning: (kind: string) => boolean): DecodedThought {
  const unwrapped = Buffer.from(value, 'base64').toString('utf8');
  if (!unwrapped.startsWith(PREFIX)) return { signature: { provider: 'gemini', value } };
  const first = unwrapped.indexOf(':', PREFIX.length);
  const second = first === -1 ? -1 : unwrapped.indexOf(':', first + 1);
  const provider = unwrapped.slice(PREFIX.length, first);
  if (second === -1 || !signsReasoning(provider)) return {};
  const signature: Signature = { provider, value: unwrapped.slice(second + 1) };
  return unwrapped.slice(first + 1, second) === 'r' ? { redacted: signature } : { signature };
}
