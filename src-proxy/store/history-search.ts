/**
 * The WHERE fragment for history's free-text search. With FTS5 (trigram tokenizer) each term of
 * 3+ characters is an indexed substring MATCH; shorter terms, which trigrams cannot index, and
 * databases without FTS5 use LIKE. Terms are ANDed; matching is case-insensitive.
 */
export function buildSearchCondition(search: string, useFts: boolean): { sql: string; params: string[] } | null {
  const terms = search.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return null;
  const clauses: string[] = [];
  const params: string[] = [];
  for (const term of terms) {
    // The search index holds only rows with bodies or an error message; names are on the row.
    const names = "h.requested_model LIKE ? ESCAPE '\\' OR h.upstream_model LIKE ? ESCAPE '\\' OR h.client LIKE ? ESCAPE '\\' OR h.client_address LIKE ? ESCAPE '\\'";
    if (useFts && term.length >= 3) {
      clauses.push(`(h.seq IN (SELECT rowid FROM history_fts WHERE history_fts MATCH ?) OR ${names})`);
      params.push(`"${term.replaceAll('"', '""')}"`, likePattern(term), likePattern(term), likePattern(term), likePattern(term));
    } else if (useFts) {
      clauses.push(`(h.seq IN (SELECT rowid FROM history_fts WHERE content LIKE ? ESCAPE '\\') OR ${names})`);
      params.push(likePattern(term), likePattern(term), likePattern(term), likePattern(term), likePattern(term));
    } else {
      const columns = ['h.requested_model', 'h.client', 'h.client_address', 'h.error_message', 'b.client_request', 'b.upstream_request', 'b.response'];
      clauses.push(`(${columns.map((column) => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      for (let i = 0; i < columns.length; i++) params.push(likePattern(term));
    }
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * What PostgreSQL's search matches, as the exact expressions migration 15 indexes with pg_trgm
 * (the planner uses an expression index only for the same expression). Terms are separated by
 * whitespace, so the joining spaces never let a term match across two columns.
 */
export const PG_SEARCH_TEXT = {
  names: "(coalesce(requested_model, '') || ' ' || coalesce(upstream_model, '') || ' ' || client || ' ' || coalesce(client_address, '') || ' ' || coalesce(error_message, ''))",
  bodies: "(coalesce(client_request, '') || ' ' || coalesce(upstream_request, '') || ' ' || coalesce(response, ''))",
} as const;

/**
 * PostgreSQL's WHERE fragment for the same search: each term (ANDed, case-insensitive) matches a
 * row's names or its bodies, each side answered by its own trigram index where migration 15 could
 * create them (a term under 3 characters, or a store without pg_trgm, scans instead).
 */
export function buildPgSearchCondition(search: string): { sql: string; params: string[] } | null {
  const terms = search.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return null;
  const clause = `h.seq IN (SELECT seq FROM history WHERE ${PG_SEARCH_TEXT.names} ILIKE ? ESCAPE '\\' UNION SELECT seq FROM history_bodies WHERE ${PG_SEARCH_TEXT.bodies} ILIKE ? ESCAPE '\\')`;
  return { sql: terms.map(() => clause).join(' AND '), params: terms.flatMap((term) => [likePattern(term), likePattern(term)]) };
}

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Whitespace every search term is split at (a subset of the \s the split uses: a term never holds one). */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * The part of a row's upstream body a search term could match that its client body cannot, for
 * the search index (FTS5 with trigrams takes every position of every indexed byte, ~4 ms CPU per
 * 64 KB on the request's thread). On the fast path the upstream body is the client's with the
 * model (and a stream's usage request) spliced in, so indexing it whole indexed the conversation
 * twice. A term holds no whitespace: a match in the upstream body lies in its common prefix or
 * common suffix with the client body (which then holds it too), or it overlaps the differing
 * middle and lies between the whitespace before and after that middle. Undefined or empty
 * bodies answer unchanged. Pure: table- and property-tested (test/history/search-part.test.ts).
 */
export function upstreamSearchPart(client: string | null | undefined, upstream: string | null | undefined): string | null | undefined {
  if (!client || !upstream) return upstream;
  const shorter = Math.min(client.length, upstream.length);
  let start = 0;
  while (start < shorter && client.charCodeAt(start) === upstream.charCodeAt(start)) start++;
  if (start === shorter && client.length === upstream.length) return null;
  let suffix = 0;
  while (suffix < shorter - start && client.charCodeAt(client.length - 1 - suffix) === upstream.charCodeAt(upstream.length - 1 - suffix)) suffix++;
  let from = start;
  while (from > 0 && !isSpace(upstream.charCodeAt(from - 1))) from--;
  let to = upstream.length - suffix;
  while (to < upstream.length && !isSpace(upstream.charCodeAt(to))) to++;
  return upstream.slice(from, to);
}

/**
 * The text indexed for one history row (the backfill in migration 002 indexes the upstream body
 * whole; the live insert indexes upstreamSearchPart of it: the same terms match).
 */
export function searchableText(parts: Array<string | null | undefined>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
}
