import type { Price } from '../domain/usage.ts';

/**
 * Built-in USD prices per million tokens, seeded into the prices table when a database is
 * created. They are the providers' public list prices as of mid-2025, without batch or cache
 * discounts; they go stale, and users edit them in Settings → Prices (or a config file).
 * Patterns with `*` match upstream model names; exact entries win over patterns.
 */
export const DEFAULT_PRICES: readonly Price[] = [
  { model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 },
  { model: 'gpt-4o-*', inputPerMillion: 2.5, outputPerMillion: 10 },
  { model: 'gpt-4o-mini', inputPerMillion: 0.15, outputPerMillion: 0.6 },
  { model: 'gpt-4o-mini-*', inputPerMillion: 0.15, outputPerMillion: 0.6 },
  { model: 'gpt-4.1', inputPerMillion: 2, outputPerMillion: 8 },
  { model: 'gpt-4.1-*', inputPerMillion: 2, outputPerMillion: 8 },
  { model: 'gpt-4.1-mini*', inputPerMillion: 0.4, outputPerMillion: 1.6 },
  { model: 'gpt-4.1-nano*', inputPerMillion: 0.1, outputPerMillion: 0.4 },
  { model: 'o3', inputPerMillion: 2, outputPerMillion: 8 },
  { model: 'o3-*', inputPerMillion: 2, outputPerMillion: 8 },
  { model: 'o3-mini*', inputPerMillion: 1.1, outputPerMillion: 4.4 },
  { model: 'o4-mini*', inputPerMillion: 1.1, outputPerMillion: 4.4 },
  { model: 'claude-opus-4*', inputPerMillion: 15, outputPerMillion: 75 },
  { model: 'claude-sonnet-4*', inputPerMillion: 3, outputPerMillion: 15 },
  { model: 'claude-3-7-sonnet*', inputPerMillion: 3, outputPerMillion: 15 },
  { model: 'claude-3-5-haiku*', inputPerMillion: 0.8, outputPerMillion: 4 },
  { model: 'claude-haiku-*', inputPerMillion: 1, outputPerMillion: 5 },
  { model: 'gemini-2.5-pro*', inputPerMillion: 1.25, outputPerMillion: 10 },
  { model: 'gemini-2.5-flash', inputPerMillion: 0.3, outputPerMillion: 2.5 },
  { model: 'gemini-2.5-flash-*', inputPerMillion: 0.3, outputPerMillion: 2.5 },
  { model: 'gemini-2.5-flash-lite*', inputPerMillion: 0.1, outputPerMillion: 0.4 },
  { model: 'deepseek-chat', inputPerMillion: 0.27, outputPerMillion: 1.1 },
  { model: 'deepseek-reasoner', inputPerMillion: 0.55, outputPerMillion: 2.19 },
];
