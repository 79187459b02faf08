/**
 * Gemini-specific readings of upstream errors:
 * - Gemini answers an invalid key with HTTP 400 `INVALID_ARGUMENT` and reason
 *   `API_KEY_INVALID` (not 401), so the router would neither mark the key as rejected nor try
 *   the next one; it becomes an auth failure here.
 * - The message names the provider and keeps Gemini's own text; the raw body stays attached, so
 *   a Gemini client gets Google's error as sent (same error shape, see ProviderSpoke.errorShape)
 *   — except a rejected provider key, which the client must not mistake for its own.
 */
import { GatewayError } from '../../errors/codes.ts';
import { extractUpstreamMessage } from '../../upstream/errors.ts';
import { openUpstream, type OpenUpstreamOptions } from '../../upstream/open-upstream.ts';
import type { NativeStream, UpstreamContext } from '../types.ts';

export function relabelGeminiError(error: unknown, providerLabel: string): unknown {
  if (!(error instanceof GatewayError) || !error.upstreamBody) return error;
  const { status, body } = error.upstreamBody;
  const text = body.toString('utf8');
  const upstreamMessage = extractUpstreamMessage(text);
  const detail = `${providerLabel} answered ${status}${error.code === 'upstream_redirect' ? ' (a redirect)' : upstreamMessage ? `: ${upstreamMessage}` : ''}`;
  if (status === 400 && text.includes('API_KEY_INVALID')) {
    return new GatewayError('upstream_auth_failed', `${detail} (API_KEY_INVALID)`, { status: 401, cause: error });
  }
  return new GatewayError(error.code, detail, { status: error.status, retryAfterSeconds: error.retryAfterSeconds, param: error.param, upstreamBody: error.upstreamBody, cause: error });
}

export async function openGemini(context: UpstreamContext, options: OpenUpstreamOptions): Promise<NativeStream> {
  try {
    return await openUpstream(context, options);
  } catch (error) {
    throw relabelGeminiError(error, options.providerLabel);
  }
}
