/**
 * Opens the store a `--store postgres://…` names, with the team's secret key. Kept apart from
 * create-store.ts: the key rules of team mode live here, the SQLite path knows nothing of them.
 */
import { GatewayError } from '../errors/codes.ts';
import { openPostgresStore } from './postgres/pg-store.ts';
import { createTeamKeyCipher } from './secret-cipher.ts';
import type { SecretCipher, Store } from './types.ts';

export interface OpenTeamStoreOptions {
  url: string;
  /** A cipher given by the host (tests); otherwise one is made from secretKey. */
  cipher?: SecretCipher;
  secretKey?: Buffer;
  onError?(error: unknown): void;
}

export async function openTeamStore(options: OpenTeamStoreOptions): Promise<Store> {
  const cipher = options.cipher ?? (options.secretKey ? createTeamKeyCipher(options.secretKey) : null);
  if (!cipher) throw new GatewayError('secret_key_missing');
  return openPostgresStore({ url: options.url, cipher, onError: options.onError });
}
