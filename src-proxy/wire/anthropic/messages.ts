/**
 * Small facts of the Anthropic Messages wire format shared by the Anthropic dialect (client side)
 * and the Anthropic provider (upstream side): usage, stop reasons, tool-use ids (error shapes: errors.ts).
 *
 * Usage: Anthropic's `input_tokens` excludes cache reads and writes (docs/wire-formats.md, "Anthropic", "Token counting"); the
 * canonical `inputTokens` counts every prompt token, so it is input + cache_read + cache_creation.
 */
import type { FinishReason, Usage } from '../../canonical/types.ts';

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** Tracks cumulative Anthropic usage (message_start, then message_delta overwrites) → canonical. */
export class AnthropicUsageTracker {
  private input = 0;
  private cacheRead = 0;
  private cacheWrite = 0;
  private output = 0;

  /** Folds one usage object in; fields that are absent keep their earlier value. */
  add(usage: AnthropicUsage): Partial<Usage> {
    if (typeof usage.input_tokens === 'number') this.input = usage.input_tokens;
    if (typeof usage.cache_read_input_tokens === 'number') this.cacheRead = usage.cache_read_input_tokens;
    if (typeof usage.cache_creation_input_tokens === 'number') this.cacheWrite = usage.cache_creation_input_tokens;
    if (typeof usage.output_tokens === 'number') this.output = usage.output_tokens;
    return this.current();
  }

  current(): Partial<Usage> {
    return {
      inputTokens: this.input + this.cacheRead + this.cacheWrite,
      outputTokens: this.output,
      ...(this.cacheRead > 0 ? { cacheReadTokens: this.cacheRead } : {}),
      ...(this.cacheWrite > 0 ? { cacheWriteTokens: this.cacheWrite } : {}),
    };
  }
}

export function mapAnthropicUsage(usage: AnthropicUsage): Partial<Usage> {
  return new AnthropicUsageTracker().add(usage);
}

/** Canonical usage → Anthropic's usage object (input without the cache tokens). */
export function anthropicUsage(usage: Partial<Usage>): { input_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number; output_tokens: number } {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage.inputTokens ?? 0) - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage.outputTokens ?? 0,
  };
}

/** Anthropic stop_reason → canonical finish reason (docs/wire-formats.md, "Mappings"). */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn (a server tool paused: the client continues the turn).
      return 'stop';
  }
}

export function anthropicStopReason(reason: FinishReason, stopSequence: string | undefined): string {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return stopSequence ? 'stop_sequence' : 'end_turn';
  }
}

/**
 * Anthropic accepts tool_use ids matching ^[a-zA-Z0-9_-]+$ only; ids minted by other vendors
 * (or synthesized by clients) may contain dots or colons. Applied to tool_use and tool_result
 * alike, so a call and its result still match.
 */
export function anthropicToolId(id: string): string {
  return /^[a-zA-Z0-9_-]+$/.test(id) ? id : id.replace(/[^a-zA-Z0-9_-]/g, '_') || 'toolu_0';
}
