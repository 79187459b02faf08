/**
 * Azure refuses a prompt its content filter flags with HTTP 400 and
 * `{"error":{"code":"content_filter","innererror":{"code":"ResponsibleAIPolicyViolation",…}}}`
 * (docs/wire-formats.md, "Azure OpenAI"). That is not a malformed request, so it becomes `content_filtered` with
 * Azure's own wording; the raw body is kept for OpenAI clients on the fast path.
 */
import { GatewayError } from '../../errors/codes.ts';
import { openUpstream, type OpenUpstreamOptions } from '../../upstream/open-upstream.ts';
import type { NativeStream, UpstreamContext } from '../types.ts';

const FILTER_MARKERS = ['"content_filter"', 'ResponsibleAIPolicyViolation'];

export function relabelAzureError(error: unknown): unknown {
  if (!(error instanceof GatewayError) || error.upstreamBody?.status !== 400) return error;
  const body = error.upstreamBody.body.toString('utf8');
  if (!FILTER_MARKERS.some((marker) => body.includes(marker))) return error;
  let detail = 'Azure OpenAI content filtering refused the prompt';
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string' && message) detail = `Azure OpenAI content filtering refused the prompt: ${message}`;
  } catch {
    // Not JSON: the generic detail stands.
  }
  return new GatewayError('content_filtered', detail, { status: 400, upstreamBody: error.upstreamBody, cause: error });
}

export async function openAzure(context: UpstreamContext, options: OpenUpstreamOptions): Promise<NativeStream> {
  try {
    return await openUpstream(context, options);
  } catch (error) {
    throw relabelAzureError(error);
  }
}
