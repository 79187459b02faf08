/**
 * OpenAI's error shape: {"error":{"message","type","code","param"}} with the matching status (the
 * SDKs pick their exception class by status). Shared by the Chat and Responses front doors.
 */
import type { GatewayError } from '../../errors/codes.ts';

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

/** Status, body and headers (retry-after when the gateway knows the wait). */
export function openAiErrorResponse(error: GatewayError): { status: number; body: unknown; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { status: error.status, body: openAiErrorBody(error), headers };
}
