/**
 * Anthropic's error shape: {"type":"error","error":{"type","message"}} with the matching status
 * (the SDK picks its exception class by status; Claude Code's recovery reads the type and
 * wording). Mid-stream the same body travels as `event: error` (docs/wire-formats.md, "Anthropic").
 */
import type { GatewayError } from '../../errors/codes.ts';

/** Anthropic error type for an HTTP status (docs/wire-formats.md, "Anthropic"). */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/** HTTP status an in-band Anthropic error type stands for. */
export function statusOfAnthropicErrorType(type: string | undefined): number {
  switch (type) {
    case 'invalid_request_error':
      return 400;
    case 'authentication_error':
      return 401;
    case 'billing_error':
      return 402;
    case 'permission_error':
      return 403;
    case 'not_found_error':
      return 404;
    case 'request_too_large':
      return 413;
    case 'rate_limit_error':
      return 429;
    case 'timeout_error':
      return 504;
    case 'overloaded_error':
      return 529;
    default:
      return 500;
  }
}

/**
 * Anthropic's error object has no code field; Switchboard's code rides beside type and message
 * (the SDK and Claude Code ignore fields they do not know), so a script can tell budget_exceeded
 * from rate_limited.
 */
export function anthropicErrorBody(error: GatewayError): { type: 'error'; error: { type: string; message: string; code: string } } {
  return { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message, code: error.code } };
}

/** Status, body and headers (retry-after when the gateway knows the wait). */
export function anthropicErrorResponse(error: GatewayError): { status: number; body: unknown; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { status: error.status, body: anthropicErrorBody(error), headers };
}
