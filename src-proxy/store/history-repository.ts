import { ENGINE_EVENT_DIALECT as EVENT_DIALECT, type Attempt, type HistoryDetail, type HistoryQuery, type HistoryRow, type SessionSummary } from '../domain/history.ts';
import type { LoopFinding } from '../domain/guardrails.ts';
import type { UsageQuery } from '../domain/usage.ts';
import type { SqliteDatabase } from './database.ts';
import { buildSearchCondition, searchableText, upstreamSearchPart } from './history-search.ts';
import { readJson, writeJson } from './json-column.ts';
import type { HistoryRecord, UpstreamLegRecord } from '../domain/history.ts';
import type { SqliteHistoryRepository, QueuedHistoryRecord } from './types.ts';
import { CACHE_STATUSES, type CacheStatus } from '../domain/response-cache.ts';
import { buildUsageReport, utcDay, utcHour, type UsageRow } from './usage-report.ts';
import { buildPerformanceReport, type PerformanceRow } from './performance-report.ts';

export const PRUNE_BATCH_SIZE = 5000;

export const DEFAULT_PAGE_SIZE = 100;

export interface HistoryDbRow {
  seq: number;
  id: string;
  started_at: number;
  duration_ms: number;
  ttft_ms: number | null;
  dialect: string;
  endpoint: string;
  client: string;
  requested_model: string | null;
  provider: string | null;
  upstream_model: string | null;
  attempts: string;
  status: number;
  error_code: string | null;
  stream: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  estimated: number;
  error_message: string | null;
  request_headers: string | null;
  cache: string | null;
  notes: string | null;
  session_id: string | null;
  route_rule: string | null;
  loop_detected: string | null;
  commands: string | null;
  /** Since migration 14. */
  client_address?: string | null;
  body_seq: number | null;
  client_request: string | null;
  upstream_request: string | null;
  response: string | null;
  upstream_response: string | null;
  upstream_same_response: number | null;
  upstream: string | null;
  /** Since migration 16. */
  response_headers?: string | null;
}

/** groupBy → usage_hourly expression; a lookup so no request value is ever spliced into SQL. */
export const USAGE_KEYS = {
  requested: 'requested_model',
  upstream: "CASE WHEN provider = '' THEN '' ELSE provider || '/' || upstream_model END",
  provider: 'provider',
  client: 'client',
} as const;
/** groupBy → history column expression for latency reports (again a lookup, never spliced input). */
export const HISTORY_KEYS = {
  requested: "coalesce(h.requested_model, '')",
  upstream: "CASE WHEN coalesce(h.provider, '') = '' THEN '' ELSE h.provider || '/' || coalesce(h.upstream_model, '') END",
  provider: "coalesce(h.provider, '')",
  client: 'h.client',
} as const;
/** Most rows a latency report reads (the newest of its window). */
export const PERFORMANCE_MAX_ROWS = 200_000;

/** Length of the period prefix of an hour key: YYYY-MM-DD (10) or YYYY-MM-DDTHH (13). */
export const PERIOD_LENGTH = { day: 10, hour: 13 } as const;

/** A request counts as an error when it failed with an HTTP error or a gateway error code. */
export const IS_ERROR_SQL = '(h.status >= 400 OR h.error_code IS NOT NULL)';

/**
 * The WHERE clause of a history query, with `?` placeholders: one filter for both stores (SQLite
 * runs it as is; PostgreSQL numbers the placeholders). `search` is the store's own text condition.
 */
export function historyFilter(query: HistoryQuery, search: { sql: string; params: string[] } | null): { sql: string; params: Array<string | number> } {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  const add = (sql: string, ...values: Array<string | number>): void => {
    clauses.push(sql);
    params.push(...values);
  };
  if (query.status === 'ok') add(`NOT ${IS_ERROR_SQL}`);
  else if (query.status === 'error') add(IS_ERROR_SQL);
  else if (typeof query.status === 'number') add('h.status = ?', query.status);
  if (query.model !== undefined) add('(h.requested_model = ? OR h.upstream_model = ?)', query.model, query.model);
  if (query.provider !== undefined) add('h.provider = ?', query.provider);
  if (query.client !== undefined) add('h.client = ?', query.client);
  if (query.dialect !== undefined) add('h.dialect = ?', query.dialect);
  if (query.session !== undefined) add('h.session_id = ?', query.session);
  if (query.loops) add('h.loop_detected IS NOT NULL');
  if (query.from !== undefined) add('h.started_at >= ?', query.from);
  if (query.to !== undefined) add('h.started_at <= ?', query.to);
  if (search) add(search.sql, ...search.params);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function isCacheStatus(value: string | null): value is CacheStatus {
  return value !== null && (CACHE_STATUSES as readonly string[]).includes(value);
}

/** usage_hourly's key columns: hour, provider, upstream model, requested name, client. */
export type UsageKey = [string, string, string, string, string];

export function toRow(row: HistoryDbRow): HistoryRow {
  return {
    id: row.id,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    ttftMs: row.ttft_ms,
    dialect: row.dialect,
    endpoint: row.endpoint,
    client: row.client,
    requestedModel: row.requested_model,
    provider: row.provider,
    upstreamModel: row.upstream_model,
    attempts: readJson<Attempt[]>(row.attempts, []),
    status: row.status,
    errorCode: row.error_code,
    stream: row.stream === 1,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cache: isCacheStatus(row.cache) ? row.cache : null,
    sessionId: row.session_id,
    routeRule: row.route_rule,
    loop: row.loop_detected === null ? null : readJson<LoopFinding | null>(row.loop_detected, null),
    commands: row.commands === null ? null : readJson<string[] | null>(row.commands, null),
  };
}

export function toDetail(row: HistoryDbRow): HistoryDetail {
  return {
    ...toRow(row),
    cacheReadTokens: row.cache_read_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    estimated: row.estimated === 1,
    errorMessage: row.error_message,
    bodies:
      row.body_seq === null
        ? null
        : {
            clientRequest: row.client_request,
            upstreamRequest: row.upstream_request,
            upstreamResponse: row.upstream_same_response === 1 ? row.response : row.upstream_response,
            response: row.response,
            upstream: readJson<UpstreamLegRecord | null>(row.upstream, null),
            responseHeaders: readJson<Record<string, string> | null>(row.response_headers ?? null, null),
          },
    requestHeaders: readJson<Record<string, string> | null>(row.request_headers, null),
    clientAddress: row.client_address ?? null,
    notes: readJson<string[]>(row.notes, []),
  };
}

export interface SessionDbRow {
  session: string;
  client: string;
  first_at: number;
  last_at: number;
  requests: number;
  errors: number | null;
  loops: number;
  input_tokens: number;
  output_tokens: number;
  models: string | null;
}

/** The models a session asked for, most used first. */
export function toSession(row: SessionDbRow): SessionSummary {
  const counts = new Map<string, number>();
  for (const model of row.models?.split('\u001f') ?? []) if (model) counts.set(model, (counts.get(model) ?? 0) + 1);
  return {
    session: row.session,
    client: row.client,
    firstAt: row.first_at,
    lastAt: row.last_at,
    requests: row.requests,
    errors: row.errors ?? 0,
    loops: row.loops,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    models: [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([model]) => model),
  };
}

export function hasBodies(record: HistoryRecord): record is HistoryRecord & { bodies: NonNullable<HistoryRecord['bodies']> } {
  const b = record.bodies;
  return b !== null && (b.clientRequest !== null || b.upstreamRequest !== null || b.response !== null || (b.upstreamResponse ?? null) !== null);
}

/** A row's captured bodies, in BODY_COLUMNS order (after seq). */
export function bodyValues(bodies: NonNullable<HistoryRecord['bodies']>): Array<string | number | null> {
  const { clientRequest, upstreamRequest, upstreamResponse, response, upstream, responseHeaders } = bodies;
  // A forwarded answer is the client's answer: kept once.
  const same = upstreamResponse != null && upstreamResponse === response;
  return [clientRequest, upstreamRequest, response, same ? null : (upstreamResponse ?? null), same ? 1 : 0, upstream ? writeJson(upstream) : null, responseHeaders ? writeJson(responseHeaders) : null];
}

/** A history row with its bodies (the same SQL on SQLite and PostgreSQL). */
export const HISTORY_SELECT = `SELECT h.*, b.seq AS body_seq, b.client_request, b.upstream_request, b.response, b.upstream_response,
    b.upstream_same_response, b.upstream, b.response_headers FROM history h LEFT JOIN history_bodies b ON b.seq = h.seq`;

export const BODY_COLUMNS = 'client_request, upstream_request, response, upstream_response, upstream_same_response, upstream, response_headers';

/** A history row's column values, in HISTORY_COLUMNS order. */
export function historyValues(record: HistoryRecord): Array<string | number | null> {
  return [
    record.id,
    record.startedAt,
    record.durationMs,
    record.ttftMs ?? null,
    record.dialect,
    record.endpoint,
    record.client,
    record.requestedModel ?? null,
    record.provider ?? null,
    record.upstreamModel ?? null,
    (record as QueuedHistoryRecord).attemptsJson ?? writeJson(record.attempts ?? []),
    record.status,
    record.errorCode ?? null,
    record.stream ? 1 : 0,
    record.inputTokens ?? null,
    record.outputTokens ?? null,
    record.cacheReadTokens ?? null,
    record.cacheWriteTokens ?? null,
    record.estimated ? 1 : 0,
    record.errorMessage ?? null,
    record.requestHeaders ? writeJson(record.requestHeaders) : null,
    record.cache ?? null,
    record.notes && record.notes.length > 0 ? writeJson(record.notes) : null,
    record.sessionId ?? null,
    record.routeRule ?? null,
    record.loop ? writeJson(record.loop) : null,
    record.commands && record.commands.length > 0 ? writeJson(record.commands) : null,
    record.clientAddress ?? null,
  ];
}

export const HISTORY_COLUMNS = `id, started_at, duration_ms, ttft_ms, dialect, endpoint, client, requested_model, provider,
       upstream_model, attempts, status, error_code, stream, input_tokens, output_tokens, cache_read_tokens,
       cache_write_tokens, estimated, error_message, request_headers, cache, notes, session_id, route_rule, loop_detected, commands,
       client_address`;

type UsageSums = { key: UsageKey; requests: number; errors: number; input: number; output: number };
const HOUR_MS = 3_600_000;

/**
 * One roll-up write per (hour, provider, upstream model, requested name, client) per batch, not one
 * per row. A batch is a fraction of a second of requests, mostly of one key: a row whose key is the
 * previous row's adds to its sums without a key string or a lookup, and the hour's text is
 * formatted once per hour the batch spans (a Date and toISOString per row were ~0.5 µs of it).
 */
export function usageRollUp(records: readonly HistoryRecord[]): UsageSums[] {
  const usage = new Map<string, UsageSums>();
  let hourStart = 0;
  let hourEnd = 0;
  let hour = '';
  /** The previous row's sums. */
  let sums: UsageSums | undefined;
  for (const record of records) {
    // An engine event (a circuit opened) is in the list but is no request: no usage roll-up.
    if (record.dialect === EVENT_DIALECT) continue;
    const at = record.startedAt;
    if (!(at >= hourStart && at < hourEnd)) {
      hourStart = Math.floor(at / HOUR_MS) * HOUR_MS;
      hourEnd = hourStart + HOUR_MS;
      hour = utcHour(hourStart);
    }
    const provider = record.provider ?? '';
    const upstreamModel = record.upstreamModel ?? '';
    const requestedModel = record.requestedModel ?? '';
    if (sums === undefined || sums.key[0] !== hour || sums.key[1] !== provider || sums.key[2] !== upstreamModel || sums.key[3] !== requestedModel || sums.key[4] !== record.client) {
      const id = `${hour}\u0000${provider}\u0000${upstreamModel}\u0000${requestedModel}\u0000${record.client}`;
      sums = usage.get(id);
      if (sums === undefined) {
        sums = { key: [hour, provider, upstreamModel, requestedModel, record.client], requests: 0, errors: 0, input: 0, output: 0 };
        usage.set(id, sums);
      }
    }
    sums.requests += 1;
    if (record.status >= 400 || record.errorCode !== null) sums.errors += 1;
    // A token count (count_tokens, estimated or not) is not usage: nothing was generated or billed.
    // Neither is a cache hit: its tokens were saved.
    if (!record.endpoint.endsWith('/count_tokens') && record.cache !== 'hit') {
      sums.input += record.inputTokens ?? 0;
      sums.output += record.outputTokens ?? 0;
    }
  }
  return [...usage.values()];
}

/**
 * Request history: the list row, bodies in their own table (only when captured), a search index
 * row and the daily usage roll-up, all written in the same transaction.
 */
export function createHistoryRepository(db: SqliteDatabase, options: { fts: boolean }): SqliteHistoryRepository {
  const { fts } = options;
  const select = HISTORY_SELECT;
  const insertRow = db.prepare(
    `INSERT INTO history (${HISTORY_COLUMNS})
     VALUES (${HISTORY_COLUMNS.split(',').map(() => '?').join(', ')})`,
  );
  const insertBodies = db.prepare(
    `INSERT INTO history_bodies (seq, ${BODY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSearch = fts ? db.prepare('INSERT INTO history_fts (rowid, content) VALUES (?, ?)') : null;
  const upsertUsage = db.prepare(
    `INSERT INTO usage_hourly (hour, provider, upstream_model, requested_model, client, requests, errors, input_tokens, output_tokens)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(hour, provider, upstream_model, requested_model, client) DO UPDATE SET
       requests = requests + excluded.requests, errors = errors + excluded.errors,
       input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens`,
  );
  const selectOne = db.prepare<[string], HistoryDbRow>(`${select} WHERE h.id = ?`);
  const selectExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM history WHERE id = ?');
  const selectLatest = db.prepare<[number], HistoryDbRow>(`${select} ORDER BY h.started_at DESC, h.id DESC LIMIT ?`);
  const selectOld = db.prepare<[number, number], { seq: number }>('SELECT seq FROM history WHERE started_at < ? LIMIT ?');
  const deleteSearch = fts ? db.prepare('DELETE FROM history_fts WHERE rowid = ?') : null;
  const deleteRow = db.prepare('DELETE FROM history WHERE seq = ?');
  const countSince = db.prepare<[number], { requests: number; errors: number | null }>(
    `SELECT count(*) AS requests, sum(${IS_ERROR_SQL}) AS errors FROM history h WHERE h.started_at >= ? AND h.dialect != '${EVENT_DIALECT}'`,
  );

  const insertBatch = db.transaction((records: HistoryRecord[]) => {
    for (const record of records) {
      // Positional parameters, in the column order above (named binding costs more per row).
      const { lastInsertRowid } = insertRow.run(...historyValues(record));
      const seq = Number(lastInsertRowid);
      if (hasBodies(record)) insertBodies.run(seq, ...bodyValues(record.bodies));
      // Rows with nothing but their own columns to search are matched on the columns (history-search.ts).
      if (insertSearch && (hasBodies(record) || record.errorMessage)) {
        insertSearch.run(
          seq,
          searchableText([
            record.requestedModel,
            record.client,
            record.errorMessage,
            record.bodies?.clientRequest,
            upstreamSearchPart(record.bodies?.clientRequest, record.bodies?.upstreamRequest),
            record.bodies?.response,
          ]),
        );
      }
    }
    for (const sums of usageRollUp(records)) upsertUsage.run(...sums.key, sums.requests, sums.errors, sums.input, sums.output);
  });

  const deleteSeqs = db.transaction((seqs: number[]) => {
    for (const seq of seqs) {
      deleteSearch?.run(seq);
      deleteRow.run(seq);
    }
  });

  const where = (query: HistoryQuery) => historyFilter(query, query.search === undefined ? null : buildSearchCondition(query.search, fts));

  return {
    insertBatch(records) {
      if (records.length > 0) insertBatch.immediate(records);
    },
    query(query) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const filter = where(query);
      const total = db
        .prepare<Array<string | number>, { n: number }>(`SELECT count(*) AS n FROM history h LEFT JOIN history_bodies b ON b.seq = h.seq ${filter.sql}`)
        .get(...filter.params)?.n ?? 0;
      const page = { sql: filter.sql, params: [...filter.params] };
      if (query.before) {
        const cursor = '(h.started_at < ? OR (h.started_at = ? AND h.id < ?))';
        page.sql = page.sql ? `${page.sql} AND ${cursor}` : `WHERE ${cursor}`;
        page.params.push(query.before.startedAt, query.before.startedAt, query.before.id);
      }
      const rows = db
        .prepare<Array<string | number>, HistoryDbRow>(`${select} ${page.sql} ORDER BY h.started_at DESC, h.id DESC LIMIT ?`)
        .all(...page.params, limit + 1);
      const more = rows.length > limit;
      const shown = rows.slice(0, limit).map(toRow);
      const last = shown.at(-1);
      return { rows: shown, next: more && last ? { startedAt: last.startedAt, id: last.id } : null, total };
    },
    has(id) {
      return selectExists.get(id) !== undefined;
    },
    get(id) {
      const row = selectOne.get(id);
      return row ? toDetail(row) : null;
    },
    latest: (limit) => selectLatest.all(limit).map(toRow),
    prune(olderThan) {
      let removed = 0;
      for (;;) {
        const seqs = selectOld.all(olderThan, PRUNE_BATCH_SIZE).map((row) => row.seq);
        if (seqs.length === 0) break;
        // One transaction per batch keeps the write lock short for the recorder.
        deleteSeqs.immediate(seqs);
        removed += seqs.length;
      }
      if (removed > 0) db.pragma('incremental_vacuum');
      return removed;
    },
    clear() {
      db.transaction(() => {
        if (fts) db.exec('DELETE FROM history_fts');
        db.exec('DELETE FROM history_bodies; DELETE FROM history;');
      }).immediate();
      db.pragma('incremental_vacuum');
    },
    countSince(since) {
      const row = countSince.get(since);
      return { requests: row?.requests ?? 0, errors: row?.errors ?? 0 };
    },
    sessions(query) {
      const clauses = ['h.session_id IS NOT NULL'];
      const params: Array<string | number> = [];
      if (query.from !== undefined) (clauses.push('h.started_at >= ?'), params.push(query.from));
      if (query.to !== undefined) (clauses.push('h.started_at <= ?'), params.push(query.to));
      if (query.client !== undefined) (clauses.push('h.client = ?'), params.push(query.client));
      const rows = db
        .prepare<Array<string | number>, SessionDbRow>(
          `SELECT h.session_id AS session, min(h.client) AS client, min(h.started_at) AS first_at, max(h.started_at) AS last_at,
             count(*) AS requests, sum(${IS_ERROR_SQL}) AS errors, count(h.loop_detected) AS loops,
             sum(coalesce(h.input_tokens, 0)) AS input_tokens, sum(coalesce(h.output_tokens, 0)) AS output_tokens,
             group_concat(h.requested_model, char(31)) AS models
           FROM history h WHERE ${clauses.join(' AND ')}
           GROUP BY h.session_id ORDER BY last_at DESC LIMIT ?`,
        )
        .all(...params, query.limit ?? 100);
      return rows.map(toSession);
    },
    usage(query: UsageQuery, prices) {
      const bucket = query.bucket ?? 'day';
      const length = PERIOD_LENGTH[bucket];
      // Whole days for a daily view (its first and last day complete), whole hours for an hourly one.
      const [from, to] = bucket === 'day' ? [`${utcDay(query.from)}T00`, `${utcDay(query.to)}T23`] : [utcHour(query.from), utcHour(query.to)];
      const rows = db
        .prepare<[string, string], UsageRow>(
          `SELECT substr(hour, 1, ${length}) AS period, ${USAGE_KEYS[query.groupBy]} AS key, upstream_model AS model,
             sum(requests) AS requests, sum(errors) AS errors, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
           FROM usage_hourly WHERE hour >= ? AND hour <= ? GROUP BY period, key, model`,
        )
        .all(from, to);
      return buildUsageReport(query, rows, prices);
    },
    performance(query, prices) {
      const rows = db
        .prepare<[number, number, number], PerformanceRow>(
          `SELECT ${HISTORY_KEYS[query.groupBy]} AS key, h.duration_ms, h.ttft_ms, ${IS_ERROR_SQL} AS is_error, h.cache, h.upstream_model,
             h.input_tokens, h.output_tokens
           FROM history h WHERE h.started_at >= ? AND h.started_at <= ? ORDER BY h.started_at DESC LIMIT ?`,
        )
        .all(query.from, query.to, PERFORMANCE_MAX_ROWS + 1);
      const sampled = rows.length > PERFORMANCE_MAX_ROWS;
      return buildPerformanceReport(query, sampled ? rows.slice(0, PERFORMANCE_MAX_ROWS) : rows, prices, sampled);
    },
  };
}
