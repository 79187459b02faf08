/**
 * Client tokens become virtual keys (governance): per token an enabled switch, an expiry, the
 * models it may use and its limits; per provider its pacing limits; and the spend of each client
 * per local day, month and lifetime ('life'), which budgets and the lifetime request cap read.
 * `client` in client_spend is the client's key (`token:<id>` or `tokenless` for the Ollama lane).
 */
export const name = 'client-governance';

export const sql = `
ALTER TABLE client_tokens ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE client_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE client_tokens ADD COLUMN models TEXT;
ALTER TABLE client_tokens ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';
ALTER TABLE providers ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';
CREATE TABLE client_spend (
  client TEXT NOT NULL,
  period TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  unpriced_requests INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (client, period)
) WITHOUT ROWID;
`;
