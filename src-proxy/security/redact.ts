/**
 * Secret-bearing headers and query parameters, redacted wherever requests are logged, stored or
 * exported. The one list, used by the engine's logger, the desktop log, the history and
 * "copy as curl".
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

/** Masks `key=` (Gemini's query key) and similar query values in a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:key|api_key|apikey|token|access_token)=)[^&#]*/gi, '$1[redacted]');
}

/** pino redact paths: the headers wherever a request object is logged, and secret-named fields. */
export const LOG_REDACT_PATHS: string[] = [
  ...SECRET_HEADERS.flatMap((header) => [
    `headers["${header}"]`,
    `*.headers["${header}"]`,
    `*.*.headers["${header}"]`,
    `req.headers["${header}"]`,
    `request.headers["${header}"]`,
  ]),
  'key',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
];

/** pino serializers that keep secrets out of logged URLs. */
export const LOG_SERIALIZERS = { url: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url) };
