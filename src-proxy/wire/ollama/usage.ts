/** Ollama's token counts (the last NDJSON line of an answer) → canonical usage. */
import type { Usage } from '../../canonical/types.ts';

export function mapOllamaUsage(line: { prompt_eval_count?: unknown; eval_count?: unknown }): Partial<Usage> {
  const usage: Partial<Usage> = {};
  // Ollama omits zero counts (omitempty), so an absent count is 0.
  usage.inputTokens = typeof line.prompt_eval_count === 'number' ? line.prompt_eval_count : 0;
  usage.outputTokens = typeof line.eval_count === 'number' ? line.eval_count : 0;
  return usage;
}
