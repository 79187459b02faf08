/**
 * A local estimate of a request's input tokens, for the token-counting endpoints (Anthropic
 * count_tokens, Gemini countTokens) when the target cannot count them itself (the real
 * endpoint is forwarded when it can). Counted with gpt-tokenizer's o200k encoding over what the
 * model would read: system, message text, tool calls and results, tool definitions. Other
 * vendors' tokenizers differ, so the history marks the count as an estimate.
 *
 * The tokenizer (a few MB of ranks) is loaded on first use: the messages path never tokenizes.
 * It is required (its CommonJS build), not import()ed: the command line's bundle runs as a
 * vm.Script for V8's code cache, and a vm.Script cannot run import() on Node 20.
 */
import { createRequire } from 'node:module';
import type { ChatRequest } from './types.ts';

type Tokenizer = typeof import('gpt-tokenizer');

/** Anthropic bills an image at about width×height/750 tokens, capped near 1,600 (1.15 MP). */
const IMAGE_TOKENS = 1600;
/** Role markers and separators per message. */
const MESSAGE_OVERHEAD = 3;

type Counter = (text: string) => number;
let counter: Promise<Counter> | null = null;

function loadCounter(): Promise<Counter> {
  counter ??= Promise.resolve().then(() => {
    const module = createRequire(import.meta.url)('gpt-tokenizer') as Tokenizer;
    // Prompts may quote special-token text ("<|endoftext|>"); count it as plain text.
    const plain = { disallowedSpecial: new Set<string>() };
    return (text: string) => (text === '' ? 0 : module.countTokens(text, plain));
  });
  return counter;
}

export async function estimateInputTokens(request: ChatRequest): Promise<number> {
  const count = await loadCounter();
  let total = 0;
  for (const part of request.system) total += count(part.text);
  for (const message of request.messages) {
    total += MESSAGE_OVERHEAD;
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
          total += count(part.text);
          break;
        case 'thinking':
          total += count(part.text);
          break;
        case 'image':
          total += IMAGE_TOKENS;
          break;
        case 'document':
          total += part.source.kind === 'text' ? count(part.source.text) : IMAGE_TOKENS;
          break;
        case 'tool_call':
          total += count(part.name) + count(part.arguments);
          break;
        case 'tool_result':
          for (const item of part.content) total += item.type === 'text' ? count(item.text) : IMAGE_TOKENS;
          break;
      }
    }
  }
  for (const tool of request.tools ?? []) {
    total += tool.type === 'function' ? count(`${tool.name}\n${tool.description ?? ''}\n${JSON.stringify(tool.parameters)}`) : count(JSON.stringify(tool.raw));
  }
  return total;
}
