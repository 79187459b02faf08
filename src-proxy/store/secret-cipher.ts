import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../errors/codes.ts';
import type { SecretCipher } from './types.ts';

export const SECRET_KEY_FILE_NAME = 'secret.key';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Blob layout version, so another layout (e.g. envelope keys) can be told apart later. */
const FORMAT_V1 = 1;

/**
 * Headless secret storage: AES-256-GCM with a random 96-bit nonce per secret and a 32-byte key
 * in `secret.key` (0600). The key file is created on the first encrypt only, so reading a store
 * whose keys were sealed elsewhere (desktop safeStorage, another machine) fails cleanly with
 * secret_unavailable instead of minting a key that can never open them.
 * Blob: [version 1 byte][nonce 12][tag 16][ciphertext].
 */
export function createFileKeyCipher(dataDir: string): SecretCipher {
  const keyPath = join(dataDir, SECRET_KEY_FILE_NAME);
  let key: Buffer | null = null;

  function loadKey(): Buffer | null {
    if (key) return key;
    if (!existsSync(keyPath)) return null;
    const raw = readFileSync(keyPath);
    if (raw.length !== KEY_BYTES) {
      throw new GatewayError('secret_unavailable', `The key file ${keyPath} is not a ${KEY_BYTES}-byte key`);
    }
    key = raw;
    return key;
  }

  function createKey(): Buffer {
    if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const fresh = randomBytes(KEY_BYTES);
    try {
      // 'wx': never overwrite a key another process (the CLI next to the app) created meanwhile.
      writeFileSync(keyPath, fresh, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      const existing = error instanceof Error && 'code' in error && error.code === 'EEXIST' ? loadKey() : null;
      if (existing) return existing;
      throw error;
    }
    key = fresh;
    return key;
  }

  return {
    description: 'aes-256-gcm key file',
    isAvailable: () => true,
    encrypt(plaintext) {
      return seal(loadKey() ?? createKey(), plaintext);
    },
    decrypt(ciphertext) {
      const k = loadKey();
      if (!k) throw new GatewayError('secret_unavailable', `The key file ${keyPath} is missing`);
      return unseal(k, ciphertext);
    },
  };
}

function seal(key: Buffer, plaintext: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_V1]), nonce, cipher.getAuthTag(), body]);
}

function unseal(key: Buffer, ciphertext: Buffer): string {
  if (ciphertext.length < 1 + NONCE_BYTES + TAG_BYTES || ciphertext[0] !== FORMAT_V1) {
    throw new GatewayError('secret_unavailable', 'The stored secret is not in the key-file format');
  }
  const nonce = ciphertext.subarray(1, 1 + NONCE_BYTES);
  const tag = ciphertext.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
  const body = ciphertext.subarray(1 + NONCE_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch (error) {
    // GCM authentication failed: a different key sealed this secret, or it was altered.
    throw new GatewayError('secret_unavailable', undefined, { cause: error });
  }
}

/**
 * The team store's cipher: the same AES-256-GCM blobs as the key file, with a key every instance
 * of the team is given (SWITCHBOARD_SECRET_KEY or --secret-key-file), so all decrypt the same rows.
 */
export function createTeamKeyCipher(key: Buffer): SecretCipher {
  if (key.length !== KEY_BYTES) throw new GatewayError('secret_key_missing', `The team secret key must be ${KEY_BYTES} bytes`);
  return {
    description: 'aes-256-gcm team key',
    isAvailable: () => true,
    encrypt: (plaintext) => seal(key, plaintext),
    decrypt: (ciphertext) => unseal(key, ciphertext),
  };
}

/** A team key written as 64 hex characters or as base64 of 32 bytes (surrounding space ignored). */
export function parseTeamSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === KEY_BYTES) return decoded;
  }
  throw new GatewayError('secret_key_missing', `The team secret key is not ${KEY_BYTES} bytes written as 64 hex characters (or base64)`);
}
