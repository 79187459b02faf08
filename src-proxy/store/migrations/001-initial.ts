/**
 * The first schema. Never edit this file once released: the runner stores its checksum and
 * refuses to open a database whose applied migration no longer matches. Add 00N-*.ts instead.
 */
export const name = 'initial';

export const sql = `
CREATE TABLE providers (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  base_url TEXT NOT NULL,
  headers TEXT NOT NULL DEFAULT '{}',
  enabled INTEGER NOT NULL DEFAULT 1,
  options TEXT NOT NULL DEFAULT '{}',
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE provider_keys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  ciphertext BLOB NOT NULL,
  masked TEXT NOT NULL,
  last4 TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  last_error TEXT,
  last_used_at INTEGER,
  cooldown_until INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX provider_keys_provider ON provider_keys(provider_id, id);

CREATE TABLE aliases (
  alias TEXT PRIMARY KEY,
  exposed INTEGER NOT NULL DEFAULT 1,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- provider_id has no foreign key on purpose: deleting a provider leaves the target in place and
-- the router reports provider_not_found, instead of silently changing what an alias means.
CREATE TABLE alias_targets (
  alias TEXT NOT NULL REFERENCES aliases(alias) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  provider_id TEXT NOT NULL,
  model TEXT NOT NULL,
  overrides TEXT,
  PRIMARY KEY (alias, position)
);

CREATE TABLE client_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash BLOB NOT NULL,
  ciphertext BLOB,
  hint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE UNIQUE INDEX client_tokens_live_name ON client_tokens(name) WHERE revoked_at IS NULL;
CREATE INDEX client_tokens_hash ON client_tokens(token_hash);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE discovered_models (
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  discovered_at INTEGER NOT NULL,
  PRIMARY KEY (provider_id, model)
);
CREATE INDEX discovered_models_model ON discovered_models(model);

-- User overrides survive a refresh of the discovered list, hence their own table.
CREATE TABLE model_metadata_overrides (
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  metadata TEXT NOT NULL,
  PRIMARY KEY (provider_id, model)
);

CREATE TABLE prices (
  model TEXT PRIMARY KEY,
  input_per_million REAL NOT NULL,
  output_per_million REAL NOT NULL
);

CREATE TABLE history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  started_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  ttft_ms INTEGER,
  dialect TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  client TEXT NOT NULL,
  requested_model TEXT,
  provider TEXT,
  upstream_model TEXT,
  attempts TEXT NOT NULL DEFAULT '[]',
  status INTEGER NOT NULL,
  error_code TEXT,
  stream INTEGER NOT NULL,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cache_read_tokens INTEGER,
  cache_write_tokens INTEGER,
  estimated INTEGER NOT NULL DEFAULT 0,
  error_message TEXT,
  request_headers TEXT
);
CREATE INDEX history_started_at ON history(started_at);
CREATE INDEX history_started_at_id ON history(started_at, id);

CREATE TABLE history_bodies (
  seq INTEGER PRIMARY KEY REFERENCES history(seq) ON DELETE CASCADE,
  client_request TEXT,
  upstream_request TEXT,
  response TEXT
);

-- Roll-ups survive history retention. Empty string stands for "none" so the key stays unique.
CREATE TABLE usage_daily (
  day TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  client TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, provider, model, client)
);
`;
