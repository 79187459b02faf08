import type { Price } from '../domain/usage.ts';
import type { SqliteDatabase } from './database.ts';
import type { PriceRepository } from './types.ts';

interface PriceRow {
  model: string;
  input_per_million: number;
  output_per_million: number;
}

/** USD per million tokens, by upstream model name or `*` pattern. */
export function createPriceRepository(db: SqliteDatabase): PriceRepository {
  const selectAll = db.prepare<[], PriceRow>('SELECT * FROM prices ORDER BY model');
  const upsert = db.prepare(
    `INSERT INTO prices (model, input_per_million, output_per_million) VALUES (?, ?, ?)
     ON CONFLICT(model) DO UPDATE SET input_per_million = excluded.input_per_million, output_per_million = excluded.output_per_million`,
  );
  const remove = db.prepare('DELETE FROM prices WHERE model = ?');

  const list = (): Price[] =>
    selectAll.all().map((row) => ({ model: row.model, inputPerMillion: row.input_per_million, outputPerMillion: row.output_per_million }));

  return {
    list,
    set(price) {
      upsert.run(price.model, price.inputPerMillion, price.outputPerMillion);
      return list();
    },
    delete(model) {
      remove.run(model);
      return list();
    },
  };
}

/**
 * The price of an upstream model: an exact entry wins, else the most specific `*` pattern
 * (the longest one); aggregator names like `openai/gpt-4o` are then tried without their vendor
 * prefix; else null.
 */
export function findPrice(prices: readonly Price[], model: string): Price | null {
  const direct = matchPrice(prices, model);
  if (direct || !model.includes('/')) return direct;
  return matchPrice(prices, model.slice(model.lastIndexOf('/') + 1));
}

function matchPrice(prices: readonly Price[], model: string): Price | null {
  let best: Price | null = null;
  for (const price of prices) {
    if (price.model === model) return price;
    if (!price.model.includes('*')) continue;
    if (patternToRegExp(price.model).test(model) && (!best || price.model.length > best.model.length)) best = price;
  }
  return best;
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/** Cost in USD, or null when no price matches. */
export function costOf(prices: readonly Price[], model: string, inputTokens: number, outputTokens: number): number | null {
  const price = findPrice(prices, model);
  if (!price) return null;
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
