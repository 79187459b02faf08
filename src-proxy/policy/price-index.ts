/**
 * The price of a request at its end, for budgets: the price table (the one the Usage page edits)
 * looked up once per model name and remembered, so the request path does not scan patterns.
 * Rebuilt when prices change.
 */
import type { Price } from '../domain/usage.ts';
import { findPrice } from '../store/prices-repository.ts';

export interface PriceIndex {
  /** USD, or null when the model has no price (its tokens still count). */
  cost(model: string, inputTokens: number, outputTokens: number): number | null;
}

const MAX_REMEMBERED = 1024;

export function createPriceIndex(prices: readonly Price[]): PriceIndex {
  const remembered = new Map<string, Price | null>();
  return {
    cost(model, inputTokens, outputTokens) {
      let price = remembered.get(model);
      if (price === undefined) {
        price = findPrice(prices, model);
        if (remembered.size >= MAX_REMEMBERED) remembered.clear();
        remembered.set(model, price);
      }
      if (price === null) return null;
      return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
    },
  };
}
