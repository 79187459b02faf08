/**
 * The engine's logger: pino with every secret-bearing field redacted. Per-request lines are not
 * logged at info (they cost more than the proxying itself); the history has them.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_REDACT_PATHS, LOG_SERIALIZERS } from './security/redact.ts';

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.SWITCHBOARD_LOG_LEVEL ?? 'info',
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      serializers: LOG_SERIALIZERS,
      base: undefined,
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
