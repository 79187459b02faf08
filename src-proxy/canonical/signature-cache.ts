/**
 * Signed reasoning that must survive a client dialect with no slot for it. Example: an OpenAI
 * client talking to Claude with tools. Claude answers thinking (signed) + tool_use; the OpenAI
 * client only keeps `reasoning_content` and the tool call; on the next turn Anthropic requires
 * the assistant turn to start with the same thinking block and its signature, and Gemini 3
 * refuses a functionCall it issued that comes back without its `thoughtSignature`
 * (docs/wire-formats.md, "Signed reasoning").
 *
 * So a provider remembers what it signed by tool-call id when it sees it and puts it back when
 * the call comes round again. In memory and bounded: the least recently used entry goes first.
 * Each provider adapter owns its cache (signatures are vendor-bound), created with the adapter.
 */
import type { AssistantPart, ThinkingPart } from './types.ts';

export interface SignatureCache<Value> {
  remember(toolCallId: string, value: Value): void;
  recall(toolCallId: string): Value | undefined;
  readonly size: number;
}

/**
 * A class, not a literal with a `size` getter: the Anthropic door's cache fill makes a throwaway
 * cache per answer it reads back, and a getter in a literal costs an AccessorPair in old space
 * each time, holding the cache (and the answer's thinking in it) past the scavenges
 * (test/perf/old-space-shapes.test.ts). A class's getter is on its prototype, once.
 */
class LruSignatureCache<Value> implements SignatureCache<Value> {
  private readonly entries = new Map<string, Value>();

  constructor(private readonly capacity: number) {}

  remember(toolCallId: string, value: Value): void {
    const { entries } = this;
    entries.delete(toolCallId);
    entries.set(toolCallId, value);
    // A Map iterates in insertion order: the first key is the least recently used one.
    while (entries.size > this.capacity) entries.delete(entries.keys().next().value!);
  }

  recall(toolCallId: string): Value | undefined {
    const value = this.entries.get(toolCallId);
    if (value !== undefined) {
      this.entries.delete(toolCallId);
      this.entries.set(toolCallId, value);
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}

export function createSignatureCache<Value>(capacity = 4096): SignatureCache<Value> {
  return new LruSignatureCache<Value>(capacity);
}

/**
 * Puts remembered signed thinking back in front of tool calls whose client kept no signature.
 * `hasOwn` says whether the turn already carries the vendor's own signed thinking (then it stays).
 */
export function withRememberedThinking(
  content: AssistantPart[],
  signatures: SignatureCache<readonly ThinkingPart[]>,
  hasOwn: (part: AssistantPart) => boolean,
): AssistantPart[] {
  if (content.some(hasOwn)) return content;
  for (const part of content) {
    if (part.type !== 'tool_call') continue;
    const remembered = signatures.recall(part.id);
    if (remembered) return [...remembered, ...content.filter((item) => item.type !== 'thinking')];
  }
  return content;
}
