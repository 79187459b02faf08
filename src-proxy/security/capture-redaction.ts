/**
 * The one redaction list for what body capture keeps (finding 6 of issue 11): header names and
 * JSON keys whose values never reach the history, the journal or "copy as curl". Defaults cover
 * the usual secret carriers; Settings → redactFields adds names. A name matches case-insensitively
 * and with `-` and `_` taken as the same character, so `api-key` covers the header and the field.
 * Only keys are matched: a prompt that mentions "api_key" in its text is left as written.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { SECRET_HEADERS } from './redact.ts';

export const REDACTED = '[redacted]';

export const DEFAULT_REDACT_FIELDS: readonly string[] = [
  ...SECRET_HEADERS,
  'set-cookie',
  'anthropic-api-key',
  'api_key',
  'apikey',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'auth_token',
  'private_key',
];

export interface CaptureRedactor {
  headers(headers: IncomingHttpHeaders): Record<string, string>;
  /** A JSON value with every listed key's value replaced. */
  json(value: unknown): unknown;
  /** Captured text: JSON is redacted by structure; other text (SSE, NDJSON) by `"key": value` pairs. */
  text(body: string): string;
}

const normalize = (name: string): string => name.trim().toLowerCase().replaceAll('_', '-');
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createCaptureRedactor(extraFields: readonly string[] = []): CaptureRedactor {
  const names = new Set([...DEFAULT_REDACT_FIELDS, ...extraFields].map(normalize).filter((name) => name.length > 0));
  const listed = (name: string): boolean => names.has(normalize(name));
  // "key": "string" | number | literal, for text that is not one JSON document (streams).
  const alternatives = [...names].map((name) => escapeRegExp(name).replaceAll('-', '[-_]')).join('|');
  const pairPattern = new RegExp(`("(?:${alternatives})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|[^,}\\]\\s]+)`, 'gi');

  function json(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(json);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = listed(key) ? REDACTED : json(inner);
    return out;
  }

  return {
    headers(headers) {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) {
        if (value === undefined) continue;
        out[name] = listed(name) ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
      }
      return out;
    },
    json,
    text(body) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        // Not one JSON document (an SSE or NDJSON stream): redact the key/value pairs in place.
        return body.replace(pairPattern, `$1"${REDACTED}"`);
      }
      return JSON.stringify(json(parsed));
    },
  };
}
