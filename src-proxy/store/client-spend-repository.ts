/**
 * What each client consumed per accounting period (local day `YYYY-MM-DD`, local month `YYYY-MM`,
 * lifetime `life`): requests, tokens, priced cost and unpriced requests. Budgets and the lifetime
 * request cap read it at start; the limit store adds to it in batches.
 */
import { EMPTY_TOTALS, type SpendTotals } from '../domain/governance.ts';
import type { SqliteDatabase } from './database.ts';
import type { ClientSpendRepository } from './types.ts';

interface SpendRow {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  unpriced_requests: number;
}

export function createClientSpendRepository(db: SqliteDatabase): ClientSpendRepository {
  const selectOne = db.prepare<[string, string], SpendRow>(
    'SELECT requests, input_tokens, output_tokens, cost_usd, unpriced_requests FROM client_spend WHERE client = ? AND period = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO client_spend (client, period, requests, input_tokens, output_tokens, cost_usd, unpriced_requests)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(client, period) DO UPDATE SET
       requests = requests + excluded.requests, input_tokens = input_tokens + excluded.input_tokens,
       output_tokens = output_tokens + excluded.output_tokens, cost_usd = cost_usd + excluded.cost_usd,
       unpriced_requests = unpriced_requests + excluded.unpriced_requests`,
  );
  const removeClient = db.prepare('DELETE FROM client_spend WHERE client = ?');
  const removeDaysBefore = db.prepare("DELETE FROM client_spend WHERE length(period) = 10 AND period < ?");
  const addAll = db.transaction((rows: Parameters<ClientSpendRepository['add']>[0]) => {
    for (const { client, period, totals } of rows) {
      upsert.run(client, period, totals.requests, totals.inputTokens, totals.outputTokens, totals.costUsd, totals.unpricedRequests);
    }
  });

  return {
    read(client, periods) {
      return periods.map((period): SpendTotals => {
        const row = selectOne.get(client, period);
        if (!row) return { ...EMPTY_TOTALS };
        return {
          requests: row.requests,
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
          costUsd: row.cost_usd,
          unpricedRequests: row.unpriced_requests,
        };
      });
    },
    add(rows) {
      if (rows.length > 0) addAll.immediate(rows);
    },
    forget(client) {
      removeClient.run(client);
    },
    pruneDaysBefore(day) {
      return removeDaysBefore.run(day).changes;
    },
  };
}
