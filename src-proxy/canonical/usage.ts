import type { Usage } from './types.ts';

/**
 * `{ ...usage, ...more }`, the token counts reported so far with a later report's on top, without
 * the spread: a literal that starts with a spread and adds a key its source lacks gets a hidden
 * class of its own on every evaluation on Node 20's V8, and a report carrying a count an earlier
 * one lacked (Gemini's thoughts count once thinking shows, a cache count reported late) adds one.
 * Object.assign onto a fresh object follows the shared transitions instead
 * (test/perf/spread-shapes.test.ts finds the literal; README, Performance, "Spreads that add a key").
 * Same keys, order and values as the spread; usage objects are built by the parsers, never raw input.
 */
export function mergeUsage(usage: Partial<Usage> | null | undefined, more: Partial<Usage>): Partial<Usage> {
  return Object.assign({}, usage, more);
}
