/**
 * Signed reasoning is vendor-bound (types.ts): a client slot that carries it across turns (the
 * Responses `encrypted_content`, Gemini's `thoughtSignature`) holds the slot owner's own
 * signatures as they came, and another vendor's wrapped in one envelope naming that vendor —
 * `swb1:<provider>:<r|s>:<value>` — so it returns to the provider that issued it and every other
 * provider drops it. Each dialect decides only which provider is native to its slot and how the
 * slot encodes text.
 */
import type { Signature } from './types.ts';

const PREFIX = 'swb1:';

export interface DecodedSignature {
  signature?: Signature;
  /** Redacted reasoning (no readable text), e.g. Anthropic `redacted_thinking`. */
  redacted?: Signature;
}

/** The envelope for a signature the slot's own vendor did not issue (or redacted reasoning). */
export function wrapSignature(signature: Signature, redacted: boolean): string {
  return `${PREFIX}${signature.provider}:${redacted ? 'r' : 's'}:${signature.value}`;
}

/**
 * Reads an envelope; `null` when the text is not one (the slot owner's own signature).
 * `signsReasoning(kind)` says which provider kinds' signatures are kept (the provider registry).
 */
export function unwrapSignature(text: string, signsReasoning: (kind: string) => boolean): DecodedSignature | null {
  if (!text.startsWith(PREFIX)) return null;
  const first = text.indexOf(':', PREFIX.length);
  const second = first === -1 ? -1 : text.indexOf(':', first + 1);
  const provider = text.slice(PREFIX.length, first);
  if (second === -1 || !signsReasoning(provider)) return {};
  const signature: Signature = { provider, value: text.slice(second + 1) };
  return text.slice(first + 1, second) === 'r' ? { redacted: signature } : { signature };
}
