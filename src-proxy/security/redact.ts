/**
 * Secret-bearing headers and query parameters, redacted wherever requests are logged, stored or
 * exported. One list, used by the logger, the history and "copy as curl".
 */
import type { IncomingHttpHeaders } from 'node:http';

export const SECRET_HEADERS = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'proxy-authorization', 'cookie', 'x-switchboard-admin'] as const;

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = (SECRET_HEADERS as readonly string[]).includes(name.toLowerCase()) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Removes `key=` (and similar) from URLs before they are logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:key|api_key|token|access_token)=)[^&#]*/gi, '$1[redacted]');
}

/** pino redact paths for request objects. */
export const LOG_REDACT_PATHS = [
  ...SECRET_HEADERS.map((name) => `req.headers["${name}"]`),
  ...SECRET_HEADERS.map((name) => `headers["${name}"]`),
  'key',
  'secret',
  'token',
  '*.secret',
  '*.token',
  '*.apiKey',
];
