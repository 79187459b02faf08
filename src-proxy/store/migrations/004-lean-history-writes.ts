/**
 * History is written on every request, so each index and search row costs on the hot path's CPU.
 * - `history_started_at` duplicates the prefix of `history_started_at_id`: dropped.
 * - The search index keeps only rows with something to search beyond the row's own columns
 *   (captured bodies or an error message); model and client names are matched on the columns.
 */
export const name = 'lean-history-writes';

export const sql = `
DROP INDEX IF EXISTS history_started_at;
`;
