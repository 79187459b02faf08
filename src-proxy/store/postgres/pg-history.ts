/**
 * History on PostgreSQL: the same rows, bodies and hourly roll-ups as SQLite's repository (the
 * row mapping and roll-up are shared with it), written in one transaction per batch and searched
 * with the same filters; every instance of a team writes here, so any instance finds any row.
 * Search matches names and bodies with ILIKE, through pg_trgm indexes where migration 15 could
 * create them (history-search's buildPgSearchCondition). Inserts skip ids already
 * stored, so a journal replay needs no lookup first. `countSince` must answer synchronously (the
 * status line reads it): it answers from a count refreshed in the background.
 */
import type pg from 'pg';
import { ENGINE_EVENT_DIALECT as EVENT_DIALECT } from '../../domain/history.ts';
import type { HistoryRecord } from '../../domain/history.ts';
import { buildPgSearchCondition } from '../history-search.ts';
import {
  BODY_COLUMNS,
  DEFAULT_PAGE_SIZE,
  HISTORY_SELECT,
  bodyValues,
  HISTORY_COLUMNS,
  HISTORY_KEYS,
  IS_ERROR_SQL,
  historyFilter,
  PERFORMANCE_MAX_ROWS,
  PERIOD_LENGTH,
  USAGE_KEYS,
  hasBodies,
  historyValues,
  toDetail,
  toRow,
  toSession,
  usageRollUp,
  type HistoryDbRow,
  type SessionDbRow,
} from '../history-repository.ts';
import { buildPerformanceReport, type PerformanceRow } from '../performance-report.ts';
import { buildUsageReport, utcDay, utcHour, type UsageRow } from '../usage-report.ts';
import type { HistoryRepository } from '../types.ts';

/** `?` placeholders (the SQLite fragments) numbered for PostgreSQL, from `first`. */
export function numbered(sql: string, first = 1): string {
  let index = first;
  return sql.replace(/\?/g, () => `$${index++}`);
}

const COUNT_REFRESH_MS = 2000;
const HISTORY_COLUMN_COUNT = HISTORY_COLUMNS.split(',').length;
const BODY_COLUMN_COUNT = BODY_COLUMNS.split(',').length;
/** Rows per INSERT: far below PostgreSQL's 65,535 parameters per statement (27 per row). */
const ROWS_PER_STATEMENT = 500;

/** `($1, $2), ($3, $4)` for `rows` rows of `columns` values. */
function placeholders(rows: number, columns: number): string {
  const tuples: string[] = [];
  for (let row = 0; row < rows; row++) tuples.push(`(${Array.from({ length: columns }, (_, column) => `$${row * columns + column + 1}`).join(', ')})`);
  return tuples.join(', ');
}

export interface PgHistoryOptions {
  pool: pg.Pool;
  now?: () => number;
  onError?(error: unknown): void;
}

export function createPgHistoryRepository(options: PgHistoryOptions): HistoryRepository & { settled(): Promise<void> } {
  const { pool } = options;
  const now = options.now ?? Date.now;
  const select = HISTORY_SELECT;
  const errorsSql = `count(*) FILTER (WHERE ${IS_ERROR_SQL})`;
  let writes: Promise<void> = Promise.resolve();
  const counts = { since: -1, at: 0, requests: 0, errors: 0, refreshing: false };

  async function insert(records: HistoryRecord[]): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // One statement per chunk of rows, not one per row: each statement is a round trip and a
      // socket write, which cost a team instance more CPU than the rest of a request (README,
      // Team server).
      for (let start = 0; start < records.length; start += ROWS_PER_STATEMENT) {
        const chunk = records.slice(start, start + ROWS_PER_STATEMENT);
        const inserted = await client.query<{ id: string; seq: number }>(
          `INSERT INTO history (${HISTORY_COLUMNS}) VALUES ${placeholders(chunk.length, HISTORY_COLUMN_COUNT)} ON CONFLICT (id) DO NOTHING RETURNING id, seq`,
          chunk.flatMap(historyValues),
        );
        // A row already stored (a journal replay) returns nothing: its bodies are stored already.
        const seqs = new Map(inserted.rows.map((row) => [row.id, row.seq]));
        const bodies = chunk.flatMap((record) => {
          const seq = seqs.get(record.id);
          return seq !== undefined && hasBodies(record) ? [[seq, ...bodyValues(record.bodies)]] : [];
        });
        if (bodies.length > 0) {
          await client.query(`INSERT INTO history_bodies (seq, ${BODY_COLUMNS}) VALUES ${placeholders(bodies.length, BODY_COLUMN_COUNT + 1)}`, bodies.flat());
        }
      }
      for (const sums of usageRollUp(records)) {
        await client.query(
          `INSERT INTO usage_hourly (hour, provider, upstream_model, requested_model, client, requests, errors, input_tokens, output_tokens)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (hour, provider, upstream_model, requested_model, client) DO UPDATE SET
             requests = usage_hourly.requests + excluded.requests, errors = usage_hourly.errors + excluded.errors,
             input_tokens = usage_hourly.input_tokens + excluded.input_tokens, output_tokens = usage_hourly.output_tokens + excluded.output_tokens`,
          [...sums.key, sums.requests, sums.errors, sums.input, sums.output],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    counts.at = 0;
  }

  function where(query: Parameters<HistoryRepository['query']>[0]): { sql: string; params: Array<string | number> } {
    const search = query.search === undefined ? null : buildPgSearchCondition(query.search);
    const filter = historyFilter(query, search);
    return { sql: numbered(filter.sql), params: filter.params };
  }

  function refreshCounts(since: number): void {
    if (counts.refreshing) return;
    counts.refreshing = true;
    pool
      .query<{ requests: number; errors: number }>(`SELECT count(*) AS requests, ${errorsSql} AS errors FROM history h WHERE h.started_at >= $1 AND h.dialect != '${EVENT_DIALECT}'`, [since])
      .then((result) => {
        counts.since = since;
        counts.at = now();
        counts.requests = result.rows[0]?.requests ?? 0;
        counts.errors = result.rows[0]?.errors ?? 0;
      })
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => (counts.refreshing = false));
  }

  return {
    idempotentInserts: true,
    insertBatch(records) {
      if (records.length === 0) return Promise.resolve();
      // In order, one batch after the other (a batch's roll-up must not race the next's).
      const write = writes.then(() => insert(records));
      writes = write.catch(() => undefined);
      return write;
    },
    settled: () => writes,
    // Never asked for: journal replay relies on idempotentInserts instead.
    has: () => false,
    async query(query) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const filter = where(query);
      const total = (await pool.query<{ n: number }>(`SELECT count(*) AS n FROM history h LEFT JOIN history_bodies b ON b.seq = h.seq ${filter.sql}`, filter.params)).rows[0]?.n ?? 0;
      const page = { sql: filter.sql, params: [...filter.params] };
      if (query.before) {
        const cursor = numbered('(h.started_at < ? OR (h.started_at = ? AND h.id COLLATE "C" < ?))', page.params.length + 1);
        page.sql = page.sql ? `${page.sql} AND ${cursor}` : `WHERE ${cursor}`;
        page.params.push(query.before.startedAt, query.before.startedAt, query.before.id);
      }
      const rows = (
        await pool.query<HistoryDbRow>(`${select} ${page.sql} ORDER BY h.started_at DESC, h.id COLLATE "C" DESC LIMIT $${page.params.length + 1}`, [...page.params, limit + 1])
      ).rows;
      const more = rows.length > limit;
      const shown = rows.slice(0, limit).map(toRow);
      const last = shown.at(-1);
      return { rows: shown, next: more && last ? { startedAt: last.startedAt, id: last.id } : null, total };
    },
    async get(id) {
      const row = (await pool.query<HistoryDbRow>(`${select} WHERE h.id = $1`, [id])).rows[0];
      return row ? toDetail(row) : null;
    },
    async latest(limit) {
      return (await pool.query<HistoryDbRow>(`${select} ORDER BY h.started_at DESC, h.id COLLATE "C" DESC LIMIT $1`, [limit])).rows.map(toRow);
    },
    async prune(olderThan) {
      // Bodies go with their rows (ON DELETE CASCADE).
      const result = await pool.query('DELETE FROM history WHERE started_at < $1', [olderThan]);
      counts.at = 0;
      return result.rowCount ?? 0;
    },
    async clear() {
      await pool.query('TRUNCATE history_bodies, history');
      counts.at = 0;
    },
    countSince(since) {
      if (counts.since !== since || now() - counts.at > COUNT_REFRESH_MS) refreshCounts(since);
      return counts.since === since ? { requests: counts.requests, errors: counts.errors } : { requests: 0, errors: 0 };
    },
    async sessions(query) {
      const clauses = ['h.session_id IS NOT NULL'];
      const params: Array<string | number> = [];
      const add = (sql: string, value: string | number) => (params.push(value), clauses.push(sql.replace('?', `$${params.length}`)));
      if (query.from !== undefined) add('h.started_at >= ?', query.from);
      if (query.to !== undefined) add('h.started_at <= ?', query.to);
      if (query.client !== undefined) add('h.client = ?', query.client);
      params.push(query.limit ?? 100);
      const rows = (
        await pool.query<SessionDbRow>(
          `SELECT h.session_id AS session, min(h.client) AS client, min(h.started_at) AS first_at, max(h.started_at) AS last_at,
             count(*) AS requests, ${errorsSql} AS errors, count(h.loop_detected) AS loops,
             sum(coalesce(h.input_tokens, 0)) AS input_tokens, sum(coalesce(h.output_tokens, 0)) AS output_tokens,
             string_agg(h.requested_model, chr(31)) AS models
           FROM history h WHERE ${clauses.join(' AND ')}
           GROUP BY h.session_id ORDER BY last_at DESC LIMIT $${params.length}`,
          params,
        )
      ).rows;
      return rows.map(toSession);
    },
    async usage(query, prices) {
      const bucket = query.bucket ?? 'day';
      const length = PERIOD_LENGTH[bucket];
      const [from, to] = bucket === 'day' ? [`${utcDay(query.from)}T00`, `${utcDay(query.to)}T23`] : [utcHour(query.from), utcHour(query.to)];
      const rows = (
        await pool.query<UsageRow>(
          `SELECT substr(hour, 1, ${length}) AS period, ${USAGE_KEYS[query.groupBy]} AS key, upstream_model AS model,
             sum(requests) AS requests, sum(errors) AS errors, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
           FROM usage_hourly WHERE hour >= $1 AND hour <= $2 GROUP BY 1, 2, 3`,
          [from, to],
        )
      ).rows;
      return buildUsageReport(query, rows, prices);
    },
    async performance(query, prices) {
      const rows = (
        await pool.query<PerformanceRow>(
          `SELECT ${HISTORY_KEYS[query.groupBy]} AS key, h.duration_ms, h.ttft_ms, (CASE WHEN ${IS_ERROR_SQL} THEN 1 ELSE 0 END) AS is_error, h.cache,
             h.upstream_model, h.input_tokens, h.output_tokens
           FROM history h WHERE h.started_at >= $1 AND h.started_at <= $2 ORDER BY h.started_at DESC LIMIT $3`,
          [query.from, query.to, PERFORMANCE_MAX_ROWS + 1],
        )
      ).rows;
      const sampled = rows.length > PERFORMANCE_MAX_ROWS;
      return buildPerformanceReport(query, sampled ? rows.slice(0, PERFORMANCE_MAX_ROWS) : rows, prices, sampled);
    },
  };
}
