import type { HistoryQuery } from '../../../src-proxy/control/contract.ts';

export interface HistoryFilterState {
  status: '' | 'ok' | 'error';
  model: string;
  provider: string;
  client: string;
  range: '' | '1h' | '24h' | '7d' | '30d';
  search: string;
  /** One session's requests (chosen in the grouped view). */
  session: string;
}

export const EMPTY_FILTERS: HistoryFilterState = { status: '', model: '', provider: '', client: '', range: '', search: '', session: '' };

const RANGE_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;

/** The filter form as a queryHistory request (empty fields left out). `now` anchors the time range. */
export function toHistoryQuery(filters: HistoryFilterState, now: number): HistoryQuery {
  const query: HistoryQuery = { limit: 200 };
  if (filters.status) query.status = filters.status;
  if (filters.model.trim()) query.model = filters.model.trim();
  if (filters.provider.trim()) query.provider = filters.provider.trim();
  if (filters.client.trim()) query.client = filters.client.trim();
  if (filters.search.trim()) query.search = filters.search.trim();
  if (filters.session) query.session = filters.session;
  if (filters.range) query.from = now - RANGE_MS[filters.range];
  return query;
}
