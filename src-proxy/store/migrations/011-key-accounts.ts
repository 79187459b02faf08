/**
 * Accounts and networks (issue 16): a key is a plain secret or an OAuth2 account (`kind`), and
 * may go out through its own proxy. The proxy URL and the account's tokens are sealed with the
 * key's ciphertext; `provider_keys.proxy` holds only the masked form the dashboard shows. A
 * provider's own proxy is sealed like its header map (`{ "url": … }`); `proxy_pool` lists the ids
 * of settings.proxies it uses in turn.
 */
export const name = 'key-accounts';

export const sql = `
ALTER TABLE provider_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'key';
ALTER TABLE provider_keys ADD COLUMN proxy TEXT;
ALTER TABLE providers ADD COLUMN proxy TEXT NOT NULL DEFAULT '{}';
ALTER TABLE providers ADD COLUMN proxy_pool TEXT NOT NULL DEFAULT '[]';
`;
