import type { KeyInfo } from '../../../src-proxy/control/contract.ts';
import { formatTime } from '../../lib/format';

export interface KeyState {
  tone: 'ok' | 'warn' | 'bad';
  text: string;
  /** The error's first sentence (its code and the specific reason), shown under the state. */
  error: string | null;
  /** The whole message, as a tooltip. */
  title: string | null;
}

/** "code: what happened" — the first sentence; what follows is the code's general advice. */
export function firstSentence(message: string): string {
  const end = message.search(/[.!?] [A-Z]/);
  return end === -1 ? message : message.slice(0, end + 1);
}

/**
 * What a key's State cell says: resting until … (with the error that rested it), its current
 * error, or ok — for an OAuth account, until when its access token is valid. A rest that is over
 * says nothing about the key now, so its old error is not shown as current.
 */
export function keyStateOf(key: KeyInfo, now = Date.now()): KeyState {
  const resting = key.cooldownUntil !== null && key.cooldownUntil > now;
  const restOver = key.cooldownUntil !== null && !resting;
  const error = restOver ? null : key.lastError;
  if (resting) return { tone: 'warn', text: `resting until ${formatTime(key.cooldownUntil!)}`, error: error && firstSentence(error), title: error };
  if (error) return { tone: 'bad', text: 'error', error: firstSentence(error), title: error };
  const ok = (text: string): KeyState => ({ tone: 'ok', text, error: null, title: restOver && key.lastError ? `Rested; before: ${key.lastError}` : null });
  if (key.type !== 'oauth2' || !key.account) return ok('ok');
  const { hasToken, tokenExpiresAt } = key.account;
  if (!hasToken) return ok('no token yet (fetched at first use)');
  if (tokenExpiresAt === null) return ok('token held (no expiry given)');
  return tokenExpiresAt > now ? ok(`token valid until ${formatTime(tokenExpiresAt)}`) : ok('token expired: refreshed at next use');
}
