/**
 * Maps transport failures and upstream error responses onto gateway error codes. Error text
 * from an upstream is kept (clients and users need it) but scrubbed of the key that was sent.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, type ErrorCode } from '../errors/codes.ts';
import type { CallSignal } from './call-signal.ts';

type Phase = 'connect' | 'body';

export function mapTransportError(error: unknown, signal: CallSignal, phase: Phase): GatewayError {
  if (error instanceof GatewayError) return error;
  if (signal.aborted && signal.reason instanceof GatewayError) return signal.reason;
  const code = (error as { code?: string } | null)?.code ?? '';
  const name = (error as { name?: string } | null)?.name ?? '';
  if (signal.aborted || name === 'AbortError' || code === 'UND_ERR_ABORTED') {
    return new GatewayError('upstream_disconnected', 'The request was cancelled', { cause: error });
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new GatewayError('upstream_timeout', 'Connecting to the provider timed out', { cause: error });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new GatewayError('upstream_timeout', 'The provider sent no answer within the first-byte time limit', { cause: error });
    case 'UND_ERR_BODY_TIMEOUT':
      return new GatewayError('upstream_idle_timeout', undefined, { cause: error });
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new GatewayError('upstream_unreachable', `Connection failed (${code})`, { cause: error });
    default:
      if (phase === 'connect') return new GatewayError('upstream_unreachable', code ? `Connection failed (${code})` : undefined, { cause: error });
      return new GatewayError('upstream_disconnected', undefined, { cause: error });
  }
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Pulls a human message out of the common error body shapes (OpenAI, Anthropic, Gemini, Ollama). */
export function extractUpstreamMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object') {
      const error = (parsed as { error?: unknown }).error;
      if (typeof error === 'string') return error;
      if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
        return (error as { message: string }).message;
      }
      const message = (parsed as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const trimmed = text.trim();
  return trimmed ? trimmed.slice(0, 500) : undefined;
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/**
 * Whether an upstream 401/403 is about the key itself (so another key may do better, and the key
 * may deserve a rest once checked): every 401, and a 403 whose body says the key or credential
 * lacks permission. A 403 about a model (access, region) or content (safety, policy) is about the
 * request: it never counts against the key. Pure; table-tested.
 */
export function isKeyDenial(status: number, bodyText: string): boolean {
  if (status === 401) return true;
  if (status !== 403) return false;
  const text = bodyText.toLowerCase();
  const aboutKey = /api[ _-]?key|\bkey\b|credential|permission_error|authentication|unauthori[sz]ed|insufficient[ _]permissions?|forbidden[ _]key|invalid[ _]key/.test(text);
  const aboutRequest = /\bmodel|content|policy|safety|moderation|filter|region|country|location|not supported in your/.test(text);
  return aboutKey && !aboutRequest;
}

function codeForStatus(status: number, bodyText: string): ErrorCode {
  if (status === 401 || status === 403) return isKeyDenial(status, bodyText) ? 'upstream_auth_failed' : 'upstream_forbidden';
  if (status === 429) return 'upstream_rate_limited';
  if (status === 404) return 'model_not_found';
  if (status === 413) return 'body_too_large';
  if (status >= 400 && status < 500) return 'invalid_request';
  if (status >= 300 && status < 400) return 'upstream_redirect';
  return 'upstream_error';
}

/**
 * Builds the error for a non-2xx upstream answer. The raw body is kept for same-dialect clients
 * (their SDKs and recovery logic read the provider's own wording).
 */
export function upstreamStatusError(
  providerLabel: string,
  status: number,
  headers: IncomingHttpHeaders,
  bodyText: string,
  secrets: readonly string[],
): GatewayError {
  const safeBody = redactSecrets(bodyText, secrets);
  const code = codeForStatus(status, safeBody);
  const upstreamMessage = extractUpstreamMessage(safeBody);
  const detail =
    code === 'upstream_redirect'
      ? `${providerLabel} answered ${status} (redirect to ${String(headers.location ?? 'nowhere')})`
      : `${providerLabel} answered ${status}${upstreamMessage ? `: ${upstreamMessage}` : ''}`;
  const contentType = headers['content-type'];
  return new GatewayError(code, detail, {
    status: code === 'upstream_redirect' ? 502 : status,
    retryAfterSeconds: parseRetryAfter(headers['retry-after']),
    upstreamBody: { status, contentType: typeof contentType === 'string' ? contentType : undefined, body: Buffer.from(safeBody) },
  });
}
