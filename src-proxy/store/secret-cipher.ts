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
      const k = loadKey() ?? createKey();
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, nonce);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT_V1]), nonce, cipher.getAuthTag(), body]);
    },
    decrypt(ciphertext) {
      const k = loadKey();
      if (!k) throw new GatewayError('secret_unavailable', `The key file ${keyPath} is missing`);
      if (ciphertext.length < 1 + NONCE_BYTES + TAG_BYTES || ciphertext[0] !== FORMAT_V1) {
        throw new GatewayError('secret_unavailable', 'The stored secret is not in the key-file format');
      }
      const nonce = ciphertext.subarray(1, 1 + NONCE_BYTES);
      const tag = ciphertext.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
      const body = ciphertext.subarray(1 + NONCE_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, nonce);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (error) {
        // GCM authentication failed: a different key file sealed this secret, or it was altered.
        throw new GatewayError('secret_unavailable', undefined, { cause: error });
      }
    },
  };
}
