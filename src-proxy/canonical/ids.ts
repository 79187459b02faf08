import { randomBytes } from 'node:crypto';

/**
 * Unique ids in the style each wire format uses (chatcmpl-…, msg_…, call_…). A random
 * per-process prefix plus a counter: unique across restarts and processes, and no entropy call
 * (a syscall-backed randomBytes) on every request.
 */
const processPrefix = randomBytes(9).toString('base64url');
let counter = 0;

export function makeId(prefix: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}${processPrefix}${counter.toString(36)}`;
}

/**
 * An id that must not be guessable (it names something only its creator may read back, like a
 * kept Response): 128 random bits, base64url.
 */
export function randomId(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('base64url')}`;
}
