/**
 * The Anthropic front door's errors: before the answer, the status and body of
 * wire/anthropic/errors.ts; mid-stream, an `event: error` with the same body.
 */
import type { GatewayError } from '../../errors/codes.ts';
import type { ErrorResponse } from '../../http/route-config.ts';
import { anthropicErrorBody, anthropicErrorResponse } from '../../wire/anthropic/errors.ts';

/** This door's error bodies have the shape of its wire format (see Dialect.errorShape). */
export const ANTHROPIC_ERROR_SHAPE = 'anthropic';

export function renderAnthropicError(error: GatewayError): ErrorResponse {
  return anthropicErrorResponse(error);
}

/** In-band stream error: a blank line first so a half-written event cannot swallow it. */
export function anthropicStreamError(error: GatewayError): string {
  return `\n\nevent: error\ndata: ${JSON.stringify(anthropicErrorBody(error))}\n\n`;
}
