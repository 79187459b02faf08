/**
 * Anthropic error shape: {"type":"error","error":{"type","message"},"request_id"} with the
 * matching status (the SDK picks its exception class by status; Claude Code's recovery reads the
 * type and wording). Mid-stream: `event: error` with the same body (wire-formats §4).
 */
import type { GatewayError } from '../../errors/codes.ts';
import { anthropicErrorType } from '../../providers/anthropic/wire.ts';
import type { ErrorResponse } from '../types.ts';

export function anthropicErrorBody(error: GatewayError): { type: 'error'; error: { type: string; message: string } } {
  return { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } };
}

export function renderAnthropicError(error: GatewayError): ErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { status: error.status, body: anthropicErrorBody(error), headers };
}

/** In-band stream error: a blank line first so a half-written event cannot swallow it. */
export function anthropicStreamError(error: GatewayError): string {
  return `\n\nevent: error\ndata: ${JSON.stringify(anthropicErrorBody(error))}\n\n`;
}
