/**
 * The main process log: JSON lines in the platform's logs folder (app.getPath('logs')), with
 * every header that can carry a provider key or a client token redacted (S8). The engine gets
 * this same logger, so redaction happens in one place for the whole app.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

const SECRET_HEADERS = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'proxy-authorization', 'cookie'];

/** pino redact paths: the headers wherever a request object is logged, and secret-named fields. */
export const REDACT_PATHS: string[] = [
  ...SECRET_HEADERS.flatMap((header) => [
    `headers["${header}"]`,
    `*.headers["${header}"]`,
    `*.*.headers["${header}"]`,
    `req.headers["${header}"]`,
    `request.headers["${header}"]`,
  ]),
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
];

export const LOG_FILE_NAME = 'switchboard.log';

export interface MainLoggerOptions {
  logsDir: string;
  level?: string;
  /** Tests write synchronously so they can read the file right away. */
  sync?: boolean;
}

export function createMainLogger(options: MainLoggerOptions): Logger {
  fs.mkdirSync(options.logsDir, { recursive: true, mode: 0o700 });
  const destination = pino.destination({ dest: path.join(options.logsDir, LOG_FILE_NAME), sync: options.sync ?? false, mkdir: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'switchboard-desktop' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Gemini takes its key as ?key=…; a logged URL must not carry it.
      serializers: { url: (url: unknown) => (typeof url === 'string' ? redactQueryKey(url) : url) },
    },
    destination,
  );
}

/** Masks `key=` / `api_key=` query values in a URL string. */
export function redactQueryKey(url: string): string {
  return url.replace(/([?&](?:key|api_key|apikey|token)=)[^&#]*/gi, '$1[redacted]');
}
