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

/** The text indexed for one history row (mirrors the backfill in migration 002). */
export function searchableText(parts: Array<string | null | undefined>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
}
