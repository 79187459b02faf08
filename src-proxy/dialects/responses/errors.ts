/**
 * Responses errors. Before any byte of the answer: the OpenAI error body (the SDKs read the same
 * shape). After the stream started: an `error` event followed by `response.failed`, whose
 * `response.error.code` is what Codex acts on (codex-rs: `context_length_exceeded` and
 * `insufficient_quota` are fatal, `rate_limit_exceeded` is retried after the "try again in Ns"
 * the message names, anything else is retried as a transient failure).
 */
import type { GatewayError } from '../../errors/codes.ts';
import type { ErrorResponse } from '../../http/route-config.ts';
import { openAiErrorResponse } from '../../wire/openai/errors.ts';

/** Responses clients read OpenAI's error body (the same SDKs): OpenAI-shaped upstream errors pass through. */
export const RESPONSES_ERROR_SHAPE = 'openai';

export function renderResponsesError(error: GatewayError): ErrorResponse {
  return openAiErrorResponse(error);
}

const CONTEXT_OVERFLOW = /context[_ ]length|context window|maximum context|prompt is too long|too many tokens/i;

/** The error code a Responses client understands for a gateway error. */
export function responsesErrorCode(error: GatewayError): string {
  if (error.code === 'upstream_rate_limited' || error.code === 'key_pool_exhausted') return 'rate_limit_exceeded';
  if (CONTEXT_OVERFLOW.test(error.message)) return 'context_length_exceeded';
  return error.code;
}

/** The message, with the wait in the words Codex parses for rate limits. */
export function responsesErrorMessage(error: GatewayError): string {
  if (error.retryAfterSeconds !== undefined && responsesErrorCode(error) === 'rate_limit_exceeded') {
    return `${error.message} Please try again in ${error.retryAfterSeconds}s.`;
  }
  return error.message;
}

/** One SSE event with both lines: strict clients read `event:`, Codex reads `data.type`. */
export function sseEvent(type: string, json: string): string {
  return `event: ${type}\ndata: ${json}\n\n`;
}
