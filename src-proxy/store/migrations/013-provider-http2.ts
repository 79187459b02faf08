/**
 * HTTP/2 to providers (issue 18): `http2` = 1 lets a provider's https calls offer h2 by ALPN
 * (upstream/http2-pools.ts); 0, the default, keeps them on HTTP/1.1.
 */
export const name = 'provider-http2';

export const sql = `
ALTER TABLE providers ADD COLUMN http2 INTEGER NOT NULL DEFAULT 0;
`;
