/**
 * The main process log: JSON lines in the platform's logs folder (app.getPath('logs')), with
 * every header that can carry a provider key or a client token redacted. The engine gets
 * this same logger, so redaction happens in one place for the whole app.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { LOG_REDACT_PATHS, LOG_SERIALIZERS, redactUrl } from '../../src-proxy/security/redact.ts';
import { LOG_FILE_NAME, withTail } from '../../src-proxy/logging.ts';
import type { LogTail } from '../../src-proxy/log-tail.ts';

/** The engine's one redaction list (src-proxy/security/redact.ts), re-exported for the shell. */
export const REDACT_PATHS = LOG_REDACT_PATHS;

export { LOG_FILE_NAME };

export interface MainLoggerOptions {
  logsDir: string;
  level?: string;
  /** Tests write synchronously so they can read the file right away. */
  sync?: boolean;
  /** Also keep the last lines in memory for the live log console and the diagnostics bundle. */
  tail?: LogTail;
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
      serializers: LOG_SERIALIZERS,
    },
    options.tail ? withTail(destination, options.tail) : destination,
  );
}

/** Masks `key=` / `api_key=` query values in a URL string. */
export const redactQueryKey = redactUrl;
