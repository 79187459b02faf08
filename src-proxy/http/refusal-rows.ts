/**
 * Requests the gateway's own checks refuse before any handler (no or a wrong client token, a
 * foreign Host or Origin) become history rows, so a user sees who is knocking: client
 * "(unauthenticated)", the refusal's code and message, the request headers with secrets redacted.
 *
 * A flood of refusals must not fill the disk: at most `perMinute` rows in any clock minute; the
 * rest are counted, and the next minute's first row says how many were left out.
 */
import type { FastifyRequest } from 'fastify';
import { makeId } from '../canonical/ids.ts';
import type { HistoryRecord } from '../domain/history.ts';
import type { GatewayError } from '../errors/codes.ts';
import { createCaptureRedactor, type CaptureRedactor } from '../security/capture-redaction.ts';

export const UNAUTHENTICATED_CLIENT = '(unauthenticated)';

/** The refusals that are recorded: who may not use the gateway, not malformed requests. */
const RECORDED = new Set(['missing_client_token', 'invalid_client_token', 'forbidden_host', 'forbidden_origin']);

export type RecordRefusal = (request: FastifyRequest, dialect: string, error: GatewayError) => void;

/** `redactor`: the capture redaction list in force (security/capture-redaction.ts; default: its defaults), for the headers kept. */
export function createRefusalRows(deps: { record(record: HistoryRecord): void; redactor?: () => CaptureRedactor; perMinute?: number; now?: () => number }): RecordRefusal {
  const defaults = createCaptureRedactor();
  const redactor = deps.redactor ?? (() => defaults);
  const perMinute = deps.perMinute ?? 60;
  const now = deps.now ?? Date.now;
  let minute = -1;
  let written = 0;
  let skipped = 0;
  return (request, dialect, error) => {
    if (!RECORDED.has(error.code)) return;
    const at = now();
    const thisMinute = Math.floor(at / 60_000);
    if (thisMinute !== minute) {
      minute = thisMinute;
      written = 0;
    }
    if (written >= perMinute) {
      skipped += 1;
      return;
    }
    written += 1;
    const notes = skipped > 0 ? [`${skipped} more refused requests in the minutes before were not recorded (at most ${perMinute} a minute)`] : [];
    skipped = 0;
    deps.record({
      id: makeId('req_'),
      startedAt: at,
      durationMs: 0,
      ttftMs: null,
      dialect,
      endpoint: request.url.split('?')[0] ?? request.url,
      client: UNAUTHENTICATED_CLIENT,
      requestedModel: null,
      provider: null,
      upstreamModel: null,
      attempts: [],
      status: error.status,
      errorCode: error.code,
      stream: false,
      inputTokens: null,
      outputTokens: null,
      cache: null,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      estimated: false,
      errorMessage: error.message,
      notes,
      requestHeaders: redactor().headers(request.headers),
      clientAddress: request.ip,
      bodies: null,
    });
  };
}
