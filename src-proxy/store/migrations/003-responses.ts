/**
 * Responses the gateway keeps so a Responses client can continue with `previous_response_id`
 * and read one back with GET /v1/responses/{id}. One row per response: the request's own input
 * items and the response object as the client received it (output items included); the chain is
 * walked through previous_id. Pruned with the history retention.
 */
export const name = 'kept-responses';

export const sql = `
CREATE TABLE kept_responses (
  id TEXT PRIMARY KEY,
  previous_id TEXT,
  created_at INTEGER NOT NULL,
  input TEXT NOT NULL,
  response TEXT NOT NULL
);
CREATE INDEX kept_responses_created ON kept_responses(created_at);
`;
