/**
 * Provider header values at rest (finding 6 of issue 11): a second auth header is as secret as a
 * key, so the whole header map is sealed with the store's cipher like keys are. The TEXT column
 * holds `sealed:v1:<base64 ciphertext>`; an empty map stays `{}` (nothing to hide, no cipher
 * needed), and a plain JSON map written by an older version still reads, and is sealed at open.
 */
import { GatewayError } from '../errors/codes.ts';
import { readJson } from './json-column.ts';
import type { SecretCipher } from './types.ts';

const SEALED_PREFIX = 'sealed:v1:';

export function isSealedHeaders(text: string | null): boolean {
  return text !== null && text.startsWith(SEALED_PREFIX);
}

export function sealHeaders(cipher: SecretCipher, headers: Record<string, string>): string {
  if (Object.keys(headers).length === 0) return '{}';
  if (!cipher.isAvailable()) throw new GatewayError('secret_storage_unavailable', `Secret storage: ${cipher.description}`);
  return SEALED_PREFIX + cipher.encrypt(JSON.stringify(headers)).toString('base64');
}

export function openHeaders(cipher: SecretCipher, text: string | null): Record<string, string> {
  if (!isSealedHeaders(text)) return readJson<Record<string, string>>(text, {});
  const sealed = Buffer.from(text!.slice(SEALED_PREFIX.length), 'base64');
  return readJson<Record<string, string>>(cipher.decrypt(sealed), {});
}
