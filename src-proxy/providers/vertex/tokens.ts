/**
 * Access tokens for service-account keys: one per key, kept in memory, fetched again a few
 * minutes before it expires and once when Vertex answers 401 (a revoked or rotated token).
 * Concurrent requests with the same key share one exchange (single flight). The exchange runs on
 * its own time budget, not on the signal of whichever request happened to start it, so one
 * client hanging up does not fail the others waiting for the same token.
 */
import { createHash } from 'node:crypto';
import { GatewayError } from '../../errors/codes.ts';
import { extractUpstreamMessage, redactSecrets } from '../../upstream/errors.ts';
import type { UpstreamContext } from '../types.ts';
import { parseServiceAccount, signAssertion, type ServiceAccount } from './service-account.ts';

/** Fetch a new token this long before the old one expires. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
const EXCHANGE_BUDGET_MS = 30_000;

interface Entry {
  token: string;
  expiresAt: number;
}

export interface VertexTokens {
  /** A valid access token for this key (cached, or exchanged now). */
  get(secret: string, context: UpstreamContext): Promise<{ token: string; account: ServiceAccount }>;
  /** Forgets the cached token of this key (after a 401). */
  invalidate(secret: string): void;
  /** Exchanges made so far (tests and diagnostics). */
  readonly exchanges: number;
}

const idOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

async function exchange(account: ServiceAccount, context: UpstreamContext, now: number, secrets: string[]): Promise<Entry> {
  const assertion = signAssertion(account, now);
  const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
  const response = await context.http.send({
    url: account.tokenUri, method: 'POST', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    signal: AbortSignal.timeout(EXCHANGE_BUDGET_MS), timeouts: context.timeouts,
  });
  const text = redactSecrets(await response.text(64 * 1024).catch(() => ''), [...secrets, assertion]);
  if (response.status !== 200) {
    let reason = extractUpstreamMessage(text);
    try {
      const json = JSON.parse(text) as { error?: unknown; error_description?: unknown };
      if (typeof json.error === 'string') reason = `${json.error}${typeof json.error_description === 'string' ? `: ${json.error_description}` : ''}`;
    } catch {
      // Not JSON: the extracted text stands.
    }
    // 400 invalid_grant / 401 invalid_client: the key itself is refused (deleted, disabled, wrong); it rests.
    const code = response.status === 400 || response.status === 401 || response.status === 403 ? 'upstream_auth_failed' : response.status === 429 ? 'upstream_rate_limited' : 'upstream_error';
    throw new GatewayError(code, `The token endpoint refused the service-account key of ${account.clientEmail} (${response.status}${reason ? `, ${reason}` : ''})`, { status: code === 'upstream_error' ? 502 : undefined });
  }
  const json = (() => {
    try {
      return JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
    } catch (error) {
      throw new GatewayError('upstream_bad_response', 'The token endpoint answer is not JSON', { cause: error });
    }
  })();
  if (typeof json.access_token !== 'string' || json.access_token === '') throw new GatewayError('upstream_bad_response', 'The token endpoint answer has no access_token');
  const seconds = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 3600;
  return { token: json.access_token, expiresAt: now + seconds * 1000 };
}

export function createVertexTokens(now: () => number = Date.now): VertexTokens {
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();
  const accounts = new Map<string, ServiceAccount>();
  let exchanges = 0;
  return {
    async get(secret, context) {
      const id = idOf(secret);
      let account = accounts.get(id);
      if (!account) {
        account = parseServiceAccount(secret);
        accounts.set(id, account);
      }
      const cached = cache.get(id);
      if (cached && cached.expiresAt - REFRESH_MARGIN_MS > now()) return { token: cached.token, account };
      let flight = inFlight.get(id);
      if (!flight) {
        exchanges++;
        const privateKeyPem = (JSON.parse(secret) as { private_key: string }).private_key;
        flight = exchange(account, context, now(), [secret, privateKeyPem])
          .then((entry) => {
            cache.set(id, entry);
            return entry;
          })
          .finally(() => inFlight.delete(id));
        inFlight.set(id, flight);
      }
      return { token: (await flight).token, account };
    },
    invalidate(secret) {
      cache.delete(idOf(secret));
    },
    get exchanges() {
      return exchanges;
    },
  };
}
