/**
 * The translation view's "Client got" pane shows the headers the client got (redacted like the
 * other panes', through the one capture redaction list): with body capture on, a request's
 * captured bodies keep them as JSON (`response_headers`). Older rows read without them.
 */
export const name = 'history-response-headers';

export const sql = `
ALTER TABLE history_bodies ADD COLUMN response_headers TEXT;
`;
