/**
 * Agent guardrails and smart routing: each history row carries its session, the routing rule that
 * picked its targets, what a loop detector found and the in-chat commands it applied; an alias
 * keeps its routing rules (JSON, in order). Sessions are listed by grouping on session_id, so it
 * gets an index (rows without a session stay out of it).
 */
export const name = 'guardrails';

export const sql = `
ALTER TABLE history ADD COLUMN session_id TEXT;
ALTER TABLE history ADD COLUMN route_rule TEXT;
ALTER TABLE history ADD COLUMN loop_detected TEXT;
ALTER TABLE history ADD COLUMN commands TEXT;
CREATE INDEX history_session ON history (session_id, started_at) WHERE session_id IS NOT NULL;
ALTER TABLE aliases ADD COLUMN rules TEXT NOT NULL DEFAULT '[]';
`;
