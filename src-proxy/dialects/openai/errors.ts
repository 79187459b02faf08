/**
 * OpenAI error shape: {"error":{"message","type","code","param"}} with the matching status (the
 * SDKs pick their exception class by status). Same-dialect upstream errors pass through as sent.
 */
import type { GatewayError } from '../../errors/codes.ts';
import type { ErrorResponse } from '../types.ts';

export function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function openAiErrorBody(error: GatewayError): { error: { message: string; type: string; code: string; param: string | null } } {
  return { error: { message: error.message, type: openAiErrorType(error.status), code: error.code, param: error.param ?? null } };
}

export function renderOpenAiError(error: GatewayError): ErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { status: error.status, body: openAiErrorBody(error), headers };
}

/** In-band stream error: a blank line first so a half-written event cannot swallow it, then [DONE]. */
export function openAiStreamError(error: GatewayError): string {
  return `\n\ndata: ${JSON.stringify(openAiErrorBody(error))}\n\ndata: [DONE]\n\n`;
}
