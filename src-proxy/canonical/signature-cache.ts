/**
 * Signed reasoning that must survive a client dialect with no slot for it. Example: an OpenAI
 * client talking to Claude with tools. Claude answers thinking (signed) + tool_use; the OpenAI
 * client only keeps `reasoning_content` and the tool call; on the next turn Anthropic requires
 * the assistant turn to start with the same thinking block and its signature (wire-formats §4
 * "signed thinking blocks from a tool-using assistant turn must be sent back unmodified", §8.5).
 *
 * So the provider remembers the signed parts by tool-call id when it sees them and puts them back
 * when the call comes round again. In memory, bounded (least recently used entries go first),
 * one space per provider kind because signatures are vendor-bound.
 */
import type { ThinkingPart } from './types.ts';
import type { ProviderKind } from '../domain/provider.ts';

export interface SignatureCache {
  remember(kind: ProviderKind, toolCallId: string, parts: readonly ThinkingPart[]): void;
  recall(kind: ProviderKind, toolCallId: string): readonly ThinkingPart[] | undefined;
  size(kind: ProviderKind): number;
}

export function createSignatureCache(options: { maxEntriesPerKind?: number } = {}): SignatureCache {
  const max = options.maxEntriesPerKind ?? 4096;
  const spaces = new Map<ProviderKind, Map<string, readonly ThinkingPart[]>>();

  function space(kind: ProviderKind): Map<string, readonly ThinkingPart[]> {
    let entries = spaces.get(kind);
    if (!entries) {
      entries = new Map();
      spaces.set(kind, entries);
    }
    return entries;
  }

  return {
    remember(kind, toolCallId, parts) {
      if (parts.length === 0) return;
      const entries = space(kind);
      entries.delete(toolCallId);
      entries.set(toolCallId, parts);
      // A Map iterates in insertion order: the first key is the least recently used one.
      while (entries.size > max) entries.delete(entries.keys().next().value!);
    },
    recall(kind, toolCallId) {
      const entries = spaces.get(kind);
      const parts = entries?.get(toolCallId);
      if (parts && entries) {
        entries.delete(toolCallId);
        entries.set(toolCallId, parts);
      }
      return parts;
    },
    size: (kind) => spaces.get(kind)?.size ?? 0,
  };
}

/** The process-wide cache the provider adapters share (they are module-level singletons). */
export const sharedSignatureCache: SignatureCache = createSignatureCache();
