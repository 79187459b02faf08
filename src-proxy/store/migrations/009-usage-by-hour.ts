/**
 * Usage by the hour, with each name in its own column. The daily roll-up stored one "model"
 * column holding the upstream model, or the requested name when nothing was routed: views mixed
 * alias, requested and upstream names. Each hour row now keeps the provider, the upstream model
 * and the name the client asked for apart, so a view groups by exactly one of them; the hours
 * give short ranges an hourly chart. Daily rows move over as their day's first hour; their
 * requested name is unknown ('') unless nothing was routed (then "model" held it).
 */
export const name = 'usage-by-hour';

export const sql = `
CREATE TABLE usage_hourly (
  hour TEXT NOT NULL,
  provider TEXT NOT NULL,
  upstream_model TEXT NOT NULL,
  requested_model TEXT NOT NULL,
  client TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, provider, upstream_model, requested_model, client)
) WITHOUT ROWID;
INSERT INTO usage_hourly (hour, provider, upstream_model, requested_model, client, requests, errors, input_tokens, output_tokens)
  SELECT day || 'T00', provider, CASE WHEN provider = '' THEN '' ELSE model END, CASE WHEN provider = '' THEN model ELSE '' END,
         client, requests, errors, input_tokens, output_tokens
  FROM usage_daily;
DROP TABLE usage_daily;
`;
