/**
 * The translation view (issue 15): with body capture on, a request's captured bodies also keep
 * what the provider answered (`upstream_response`: its JSON, or the raw stream text, bounded) and
 * the upstream leg — address, status and both sides' headers, redacted — as JSON (`upstream`).
 * A same-dialect answer forwarded unchanged is not stored twice: `upstream_same_response` = 1
 * says the provider's answer is the client's (`response`). Rows without capture are untouched.
 */
export const name = 'translation-view';

export const sql = `
ALTER TABLE history_bodies ADD COLUMN upstream_response TEXT;
ALTER TABLE history_bodies ADD COLUMN upstream_same_response INTEGER NOT NULL DEFAULT 0;
ALTER TABLE history_bodies ADD COLUMN upstream TEXT;
`;
