/**
 * Circuit changes as History rows (engine events, not requests: ENGINE_EVENT_DIALECT keeps them
 * out of request counts and usage). The desktop shell turns the same rows into notifications.
 */
import { makeId } from '../canonical/ids.ts';
import { ENGINE_EVENT_DIALECT, type HistoryRecord } from '../domain/history.ts';
import { CIRCUIT_EVENT } from '../domain/routing-health.ts';
import type { CircuitEvent } from './circuit-breakers.ts';

function seconds(ms: number): string {
  return ms < 120_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`;
}

export function circuitEventRecord(event: CircuitEvent): HistoryRecord {
  const base = {
    id: makeId('evt_'),
    startedAt: event.at,
    durationMs: 0,
    ttftMs: null,
    dialect: ENGINE_EVENT_DIALECT,
    client: 'switchboard',
    requestedModel: null,
    upstreamModel: null,
    attempts: [],
    stream: false,
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    estimated: false,
    cache: null,
    requestHeaders: null,
    bodies: null,
    notes: [],
  };
  switch (event.type) {
    case 'opened':
      return {
        ...base,
        endpoint: CIRCUIT_EVENT.opened,
        provider: event.provider,
        status: 503,
        errorCode: 'circuit_open',
        errorMessage: `${event.provider} could not be reached (${event.reason}). Switchboard skips it, probes it in ${seconds(event.retryInMs)} and uses it again once it answers.`,
      };
    case 'closed':
      return {
        ...base,
        endpoint: CIRCUIT_EVENT.closed,
        provider: event.provider,
        status: 200,
        errorCode: null,
        errorMessage: `${event.provider} answers again after ${seconds(event.openForMs)}; requests go to it again.`,
      };
    case 'fallback':
      return {
        ...base,
        endpoint: event.usingLocal ? CIRCUIT_EVENT.localFallback : CIRCUIT_EVENT.fallbackEnded,
        provider: null,
        status: 200,
        errorCode: null,
        errorMessage: event.usingLocal
          ? 'Offline: no cloud provider can be reached, so requests go to local models until one answers again.'
          : 'Local fallback over: a cloud provider answers again.',
      };
  }
}
