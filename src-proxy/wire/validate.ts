/**
 * Small guards for hand-parsing client bodies into the canonical model: each failure names the
 * field at fault (the OpenAI `param`) so the client's error message says what to fix.
 */
import { GatewayError } from '../errors/codes.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new GatewayError('invalid_request', `"${path}" must be a non-empty string`, { param: path });
  return value;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new GatewayError('invalid_request', `"${path}" must be an array`, { param: path });
  return value;
}

export function optionalNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new GatewayError('invalid_request', `"${path}" must be a number`, { param: path });
  return value;
}

export function requireBody(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw new GatewayError('invalid_request', 'The request body must be a JSON object');
  return body;
}

/** data:<media>;base64,<data> → parts, or null for other URLs. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!match) return null;
  return { mediaType: match[1] ?? 'application/octet-stream', data: match[2] ?? '' };
}
