/**
 * Google's error shape: {"error":{"code","message","status"}} with the HTTP status and its
 * canonical status name (docs/wire-formats.md, "Gemini"). The @google/genai SDK raises an
 * ApiError carrying both; Gemini CLI reads the status name to decide on retries.
 */
import type { GatewayError } from '../../errors/codes.ts';

/** The google.rpc status name of an HTTP status. */
export function googleStatusName(status: number): string {
  switch (status) {
    case 400:
    case 413:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'ABORTED';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

export function googleErrorBody(error: GatewayError): { error: { code: number; message: string; status: string } } {
  return { error: { code: error.status, message: error.message, status: googleStatusName(error.status) } };
}

/** Status, body and headers (retry-after when the gateway knows the wait). */
export function googleErrorResponse(error: GatewayError): { status: number; body: unknown; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { status: error.status, body: googleErrorBody(error), headers };
}
