/**
 * The Gemini front door's errors: Google's shape (wire/gemini/errors.ts) with the details Google
 * itself adds — an ErrorInfo whose `reason` is Switchboard's error code, and a RetryInfo when the
 * wait is known, which Gemini CLI reads to pace its retries, and a BadRequest naming the field at
 * fault when a request field was refused (400). Mid-stream the same body goes out as
 * a `data:` event (or a last array element without alt=sse); the @google/genai SDK raises it as
 * an ApiError with the status.
 */
import type { GatewayError } from '../../errors/codes.ts';
import type { ErrorResponse } from '../../http/route-config.ts';
import { googleErrorBody } from '../../wire/gemini/errors.ts';

/** Gemini clients read Google's error body: a Gemini upstream's own errors pass through. */
export const GEMINI_ERROR_SHAPE = 'gemini';

export function geminiErrorBody(error: GatewayError): { error: Record<string, unknown> } {
  const details: Array<Record<string, unknown>> = [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: error.code, domain: 'switchboard' }];
  if (error.retryAfterSeconds !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfterSeconds}s` });
  // Google's BadRequest goes with INVALID_ARGUMENT only (a model not found names `model` too).
  if (error.param !== undefined && error.status === 400) details.push({ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: error.param, description: error.message }] });
  return { error: { ...googleErrorBody(error).error, details } };
}

export function renderGeminiError(error: GatewayError): ErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { status: error.status, body: geminiErrorBody(error), headers };
}

/** In-band stream error: a blank line first so a half-written event cannot swallow it. */
export function geminiSseError(error: GatewayError): string {
  return `\r\n\r\ndata: ${JSON.stringify(geminiErrorBody(error))}\r\n\r\n`;
}
