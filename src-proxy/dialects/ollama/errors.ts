/**
 * Ollama's error shape: {"error": "text"} with the matching status (the `ollama` SDKs read the
 * `error` field into their ResponseError). After a stream started the status is already 200, so
 * the error becomes the last NDJSON line: {"error": "text"} (the SDK throws when a line has it).
 */
import type { GatewayError } from '../../errors/codes.ts';
import type { ErrorResponse } from '../../http/route-config.ts';

/** This door's error bodies have the shape of its wire format (see Dialect.errorShape). */
export const OLLAMA_ERROR_SHAPE = 'ollama';

export function renderOllamaError(error: GatewayError): ErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  // Ollama's shape has no code: Switchboard's rides beside `error` (the SDKs ignore it).
  return { status: error.status, body: { error: error.message, code: error.code }, headers };
}

/** In-band stream error line. Lines are always written whole, so no separator is needed first. */
export function ollamaStreamError(error: GatewayError): string {
  return `${JSON.stringify({ error: error.message, code: error.code })}\n`;
}
