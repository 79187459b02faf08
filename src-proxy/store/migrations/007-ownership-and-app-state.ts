/**
 * Declarative config and a stable dashboard:
 * - `managed_by` marks what the config file owns ('config') or Switchboard itself ('dashboard',
 *   the dashboard's own client token); NULL is the user's, which the config file never touches.
 * - `app_secrets`: the dashboard admin token and other secrets of Switchboard itself, encrypted
 *   with the store's cipher like provider keys.
 * - `app_state`: small facts that are not settings (the config file last applied).
 * - `history.notes`: what Switchboard changed in a request that the user would care about.
 */
export const name = 'ownership-and-app-state';

export const sql = `
ALTER TABLE providers ADD COLUMN managed_by TEXT;
ALTER TABLE provider_keys ADD COLUMN managed_by TEXT;
ALTER TABLE aliases ADD COLUMN managed_by TEXT;
ALTER TABLE client_tokens ADD COLUMN managed_by TEXT;
CREATE TABLE app_secrets (
  name TEXT PRIMARY KEY,
  ciphertext BLOB NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE app_state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
ALTER TABLE history ADD COLUMN notes TEXT;
`;
