/**
 * Secret-bearing headers and query parameters, redacted wherever requests are logged, stored or
 * exported: the engine's logger and the desktop log use them here; captured bodies and headers
 * (history, "copy as curl") take them as defaults of the capture list (capture-redaction.ts).
 */
export const SECRET_HEADERS = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'openai-api-key', 'proxy-authorization', 'cookie', 'x-switchboard-admin'] as const;

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
