import { randomBytes } from 'node:crypto';

/** Short random ids in the style each wire format uses (chatcmpl-…, msg_…, call_…). */
export function makeId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}
