/**
 * The OpenAI front door's errors: before the answer, the status and body of wire/openai/errors.ts
 * (same-dialect upstream errors pass through as sent); mid-stream, a data event and a cut connection (never [DONE]).
 */
import type { GatewayError } from '../../errors/codes.ts';
import type { ErrorResponse } from '../../http/route-config.ts';
import { openAiErrorBody, openAiErrorResponse } from '../../wire/openai/errors.ts';

/** This door's error bodies have the shape of its wire format (see Dialect.errorShape). */
export const OPENAI_ERROR_SHAPE = 'openai';

export function renderOpenAiError(error: GatewayError): ErrorResponse {
  return openAiErrorResponse(error);
}

/**
 * In-band stream error: a blank line first so a half-written event cannot swallow it. No [DONE]
 * after it: the connection is cut instead, so no client mistakes the answer for a whole one.
 */
export function openAiStreamError(error: GatewayError): string {
  return `\n\ndata: ${JSON.stringify(openAiErrorBody(error))}\n\n`;
}
