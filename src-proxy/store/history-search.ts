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
    const names = "h.requested_model LIKE ? ESCAPE '\\' OR h.upstream_model LIKE ? ESCAPE '\\' OR h.client LIKE ? ESCAPE '\\'";
    if (useFts && term.length >= 3) {
      clauses.push(`(h.seq IN (SELECT rowid FROM history_fts WHERE history_fts MATCH ?) OR ${names})`);
      params.push(`"${term.replaceAll('"', '""')}"`, likePattern(term), likePattern(term), likePattern(term));
    } else if (useFts) {
      clauses.push(`(h.seq IN (SELECT rowid FROM history_fts WHERE content LIKE ? ESCAPE '\\') OR ${names})`);
      params.push(likePattern(term), likePattern(term), likePattern(term), likePattern(term));
    } else {
      const columns = ['h.requested_model', 'h.client', 'h.error_message', 'b.client_request', 'b.upstream_request', 'b.response'];
      clauses.push(`(${columns.map((column) => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      for (let i = 0; i < columns.length; i++) params.push(likePattern(term));
    }
  }
  return { sql: clauses.join(' AND '), params };
}

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The text indexed for one history row (mirrors the backfill in migration 002). */
export function searchableText(parts: Array<string | null | undefined>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
}
