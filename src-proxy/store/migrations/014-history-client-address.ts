/**
 * Where each request came from (issue 17's leftover): the peer's address, or behind a trusted
 * reverse proxy (`--trust-proxy`) the client it names, so a team server's history says which
 * machine sent a request, not only which client token.
 */
export const name = 'history-client-address';

export const sql = `
ALTER TABLE history ADD COLUMN client_address TEXT;
`;
