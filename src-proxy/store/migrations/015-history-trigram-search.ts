/**
 * History search on a team store (issue 17's leftover): PostgreSQL gets trigram indexes
 * (pg_trgm) for what SQLite already indexes with FTS5 (migration 002). Nothing to do here; the
 * number keeps the two stores' lists of migrations one list.
 */
export const name = 'history-trigram-search';

export const sql = `
-- PostgreSQL only: pg_trgm indexes for history search (SQLite has history_fts since 002).
SELECT 1;
`;
