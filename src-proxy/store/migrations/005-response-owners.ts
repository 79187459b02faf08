/**
 * A kept Response belongs to the client that created it (`token:<id>`, or `tokenless`); reads,
 * deletes and previous_response_id only find it for that client. Rows kept before owners were
 * recorded get the empty owner, which no client has: they can no longer be read back.
 */
export const name = 'response-owners';

export const sql = `
ALTER TABLE kept_responses ADD COLUMN owner TEXT NOT NULL DEFAULT '';
`;
