/**
 * Gemini-specific readings of upstream errors:
 * - Gemini answers an invalid key with HTTP 400 `INVALID_ARGUMENT` and reason
 *   `API_KEY_INVALID` (not 401), so the router would neither mark the key as rejected nor try
 *   the next one; it becomes an auth failure here.
 * - No client dialect is Gemini's own, so Gemini's raw error body is never handed to a client
 *   as it is (same-dialect pass-through): every error is rendered in the client's own shape,
 *   with Gemini's message kept in the text.
 */
import { GatewayError } from '../../errors/codes.ts';
import { openUpstream, type OpenUpstreamOptions } from '../../upstream/open-upstream.ts';
import type { NativeStream, UpstreamContext } from '../types.ts';

export function relabelGeminiError(error: unknown): unknown {
  if (!(error instanceof GatewayError) || !error.upstreamBody) return error;
  const invalidKey = error.upstreamBody.status === 400 && error.upstreamBody.body.includes('API_KEY_INVALID');
  // The message already holds the provider label, status and Gemini's own text.
  const detail = error.message.slice(0, Math.max(0, error.message.length - messageTail(error).length)).trim();
  return new GatewayError(invalidKey ? 'upstream_auth_failed' : error.code, invalidKey ? `${detail} (API_KEY_INVALID)` : detail, {
    status: invalidKey ? 401 : error.status,
    retryAfterSeconds: error.retryAfterSeconds,
    param: error.param,
    cause: error,
  });
}

/** The generic sentence GatewayError appends to a detail (kept out so it is not doubled). */
function messageTail(error: GatewayError): string {
  return new GatewayError(error.code).message;
}

export async function openGemini(context: UpstreamContext, options: OpenUpstreamOptions): Promise<NativeStream> {
  try {
    return await openUpstream(context, options);
  } catch (error) {
    throw relabelGeminiError(error);
  }
}
