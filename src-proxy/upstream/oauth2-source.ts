/**
 * An OAuth2 account as a credential source (RFC 6749 §6, refresh_token grant): the access token
 * is kept until shortly before it expires, refreshed once for all concurrent callers, refreshed
 * again when the upstream refuses it, and a rotated refresh token is handed to `onRefreshed`
 * (the caller seals it in the store). A refusal of the refresh itself is `oauth_refresh_failed`
 * with the token server's own reason; the caller rests the account.
 */
import { GatewayError } from '../errors/codes.ts';
import { singleFlight, untilAborted, type CredentialSource } from './credential-source.ts';
import { redactSecrets } from './errors.ts';
import type { UpstreamHttp, UpstreamTimeouts } from './http-client.ts';

export interface OAuth2Grant {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
  scopes?: string[];
}

export interface OAuth2Token {
  value: string;
  /** Epoch ms; null when the server gave no expiry (then kept until refused). */
  expiresAt: number | null;
}

/** A token this close to its expiry is refreshed before use, so it cannot lapse in flight. */
export const REFRESH_MARGIN_MS = 60_000;
/** A refusal (invalid_grant…) needs a person; a failure to reach the server may pass sooner. */
const REFUSED_RETRY_SECONDS = 600;
const UNREACHABLE_RETRY_SECONDS = 30;

export function createOAuth2Source(deps: {
  grant: OAuth2Grant;
  token?: OAuth2Token;
  http: UpstreamHttp;
  timeouts: () => UpstreamTimeouts;
  /** The outbound proxy the token server is reached through (the key's own). */
  proxy?: string;
  now?: () => number;
  /** After every successful refresh, with the refresh token now in force. */
  onRefreshed?: (token: OAuth2Token, refreshToken: string) => void;
}): CredentialSource {
  const now = deps.now ?? Date.now;
  let refreshToken = deps.grant.refreshToken;
  let current: OAuth2Token | null = deps.token ?? null;
  const secrets = () => [refreshToken, deps.grant.clientSecret ?? '', current?.value ?? ''];

  const refresh = singleFlight(async (): Promise<OAuth2Token> => {
    const timeouts = deps.timeouts();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new GatewayError('upstream_total_timeout')), Math.max(timeouts.firstByteMs, 5_000));
    timer.unref();
    const where = new URL(deps.grant.tokenUrl).host;
    try {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: deps.grant.clientId });
      if (deps.grant.clientSecret) form.set('client_secret', deps.grant.clientSecret);
      if (deps.grant.scopes?.length) form.set('scope', deps.grant.scopes.join(' '));
      let status: number;
      let text: string;
      try {
        const response = await deps.http.send({
          url: deps.grant.tokenUrl,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          signal: controller.signal,
          timeouts: { ...timeouts, totalMs: 0 },
          ...(deps.proxy ? { proxy: deps.proxy } : {}),
        });
        status = response.status;
        text = await response.text(256 * 1024);
      } catch (error) {
        const reason = error instanceof GatewayError ? error.message : 'the connection failed';
        throw refreshFailed(`the token server ${where} could not be reached (${redactSecrets(reason, secrets())})`, UNREACHABLE_RETRY_SECONDS, error);
      }
      const body = parseJson(text);
      if (status < 200 || status >= 300) {
        const reason = [str(body?.error), str(body?.error_description)].filter(Boolean).join(': ') || text.trim().slice(0, 300) || 'no reason given';
        throw refreshFailed(`the token server ${where} answered ${status}: ${redactSecrets(reason, secrets())}`, status >= 500 ? UNREACHABLE_RETRY_SECONDS : REFUSED_RETRY_SECONDS);
      }
      const accessToken = str(body?.access_token);
      if (!accessToken) throw refreshFailed(`the token server ${where} answered without an access_token`, REFUSED_RETRY_SECONDS);
      const expiresIn = Number(body?.expires_in);
      const token: OAuth2Token = { value: accessToken, expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now() + expiresIn * 1000 : null };
      const rotated = str(body?.refresh_token);
      if (rotated) refreshToken = rotated;
      current = token;
      deps.onRefreshed?.(token, refreshToken);
      return token;
    } finally {
      clearTimeout(timer);
    }
  });

  function fresh(token: OAuth2Token | null): token is OAuth2Token {
    return token !== null && (token.expiresAt === null || token.expiresAt - now() > REFRESH_MARGIN_MS);
  }

  return {
    async token(signal) {
      if (fresh(current)) return current.value;
      return (await untilAborted(refresh(), signal)).value;
    },
    invalidate(rejected) {
      // Another caller may already have replaced the refused token: keep the newer one.
      if (current?.value === rejected) current = null;
    },
  };
}

function refreshFailed(detail: string, retryAfterSeconds: number, cause?: unknown): GatewayError {
  return new GatewayError('oauth_refresh_failed', detail, { retryAfterSeconds, cause });
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    // Not JSON (an HTML error page): the caller shows the text instead.
    return null;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
