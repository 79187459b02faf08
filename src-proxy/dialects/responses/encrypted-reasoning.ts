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

const PREFIX = 'swb1:';

export interface DecodedReasoning {
  signature?: Signature;
  /** Redacted reasoning (no readable text), e.g. Anthropic `redacted_thinking`. */
  redacted?: Signature;
}

export function encodeEncryptedContent(signature: Signature, redacted: boolean): string {
  if (signature.provider === 'openai' && !redacted) return signature.value;
  return `${PREFIX}${signature.provider}:${redacted ? 'r' : 's'}:${signature.value}`;
}

/** `signsReasoning(kind)` says which provider kinds issue signed reasoning (from the provider registry). */
export function decodeEncryptedContent(value: string, signsReasoning: (kind: string) => boolean): DecodedReasoning {
  if (!value.startsWith(PREFIX)) return { signature: { provider: 'openai', value } };
  const first = value.indexOf(':', PREFIX.length);
  const second = first === -1 ? -1 : value.indexOf(':', first + 1);
  const provider = value.slice(PREFIX.length, first);
  if (second === -1 || !signsReasoning(provider)) return {};
  const signature: Signature = { provider, value: value.slice(second + 1) };
  return value.slice(first + 1, second) === 'r' ? { redacted: signature } : { signature };
}
