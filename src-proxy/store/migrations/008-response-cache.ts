/**
 * The response cache (issue 15): an alias opts in with a TTL (`aliases.cache`, JSON or NULL);
 * answers are kept per cache key with their size and last use, so the least recently used go
 * first when the cache outgrows settings.cache.maxMb. History rows say how the cache served them.
 */
export const name = 'response-cache';

export const sql = `
ALTER TABLE aliases ADD COLUMN cache TEXT;
ALTER TABLE history ADD COLUMN cache TEXT;
CREATE TABLE response_cache (
  key TEXT PRIMARY KEY,
  entry TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
);
CREATE INDEX response_cache_last_used ON response_cache(last_used_at);
`;
