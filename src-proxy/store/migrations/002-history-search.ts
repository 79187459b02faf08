/**
 * Full-text search over history: one FTS5 row per history row (rowid = history.seq) holding the
 * captured bodies, requested model, client and error message. The trigram tokenizer makes it a
 * substring search, which is what people expect when they paste a fragment of code or JSON.
 * Skipped (and retried at the next start) when SQLite lacks FTS5; search then falls back to LIKE.
 */
export const name = 'history-search';

export const requires = 'fts5';

export const sql = `
CREATE VIRTUAL TABLE history_fts USING fts5(content, tokenize = 'trigram');

INSERT INTO history_fts (rowid, content)
SELECT h.seq,
       concat_ws(' ', h.requested_model, h.client, h.error_message, b.client_request, b.upstream_request, b.response)
FROM history h LEFT JOIN history_bodies b ON b.seq = h.seq;
`;
