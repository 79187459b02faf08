/**
 * The Prometheus series (prom-client, on a registry of its own). Fed from three places: every
 * finished request (its history record, the one fact the history also keeps), refusals made
 * before any front door (security gate, body parsing, unknown path), and the key pool's
 * cooldowns; plus a gauge of streams being answered. Created only once metrics are turned on:
 * until then nothing here runs.
 *
 * Labels are bounded: dialects, statuses and error codes are finite lists; provider, upstream
 * model and client names pass a LabelGuard (the first N distinct values, then "other"); the
 * model a client merely asked for and request ids are never labels.
 *
 * prom-client itself is loaded on the first createGatewayMetrics (a synchronous require, as metrics
 * are switched on from a settings read): an engine with metrics off never holds it in memory.
 */
import { createRequire } from 'node:module';
import type { HistoryRecord } from '../domain/history.ts';
import { createLabelGuard } from './label-guard.ts';

export interface GatewayMetrics {
  /** A request that ended (answered, failed, refused, or its client left). */
  observe(record: HistoryRecord): void;
  /** A request refused before a front door read it (no history row). */
  refused(code: string): void;
  keyCooledDown(provider: string, reason: 'rate_limited' | 'rejected'): void;
  readonly streams: { opened(): void; closed(): void };
  /** The text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface GatewayMetricsDeps {
  /** USD for tokens of an upstream model, null when it has no price. */
  cost(model: string, inputTokens: number, outputTokens: number): number | null;
  /** Distinct values kept per label before "other" (default 200). */
  labelLimit?: number;
  /** The shared server of a team: reachable or not, and how often it went away. */
  shared?: { isUp(): boolean; outages(): number };
}

type PromClient = typeof import('prom-client');
let promClient: PromClient | null = null;
const loadPromClient = (): PromClient => (promClient ??= createRequire(import.meta.url)('prom-client') as PromClient);

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const TTFT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

export function createGatewayMetrics(deps: GatewayMetricsDeps): GatewayMetrics {
  const { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } = loadPromClient();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
  const guard = createLabelGuard(deps.labelLimit ?? 200);
  const registers = [registry];

  const requests = new Counter({ name: 'switchboard_requests_total', help: 'Requests that reached a front door, by how they ended', labelNames: ['dialect', 'provider', 'model', 'client', 'status'], registers });
  const duration = new Histogram({ name: 'switchboard_request_duration_seconds', help: 'Time from arrival to the last byte of the answer', labelNames: ['dialect', 'provider', 'model'], buckets: DURATION_BUCKETS, registers });
  const ttft = new Histogram({ name: 'switchboard_ttft_seconds', help: 'Time from arrival to the first token of the answer', labelNames: ['dialect', 'provider', 'model'], buckets: TTFT_BUCKETS, registers });
  const tokens = new Counter({ name: 'switchboard_tokens_total', help: 'Tokens billed by providers (cache hits excluded)', labelNames: ['direction', 'provider', 'model'], registers });
  const cost = new Counter({ name: 'switchboard_cost_usd_total', help: 'Estimated cost of billed tokens, from the price table', labelNames: ['provider', 'model', 'client'], registers });
  const upstreamErrors = new Counter({ name: 'switchboard_upstream_errors_total', help: 'Failed upstream attempts (a request may make several)', labelNames: ['provider', 'code'], registers });
  const cooldowns = new Counter({ name: 'switchboard_key_cooldowns_total', help: 'Provider keys put to rest (rate limited, or rejected and confirmed)', labelNames: ['provider', 'reason'], registers });
  const activeStreams = new Gauge({ name: 'switchboard_active_streams', help: 'Streamed answers being sent now', registers });
  const cacheHits = new Counter({ name: 'switchboard_cache_hits_total', help: 'Requests answered from the response cache', registers });
  const cacheLookups = new Counter({ name: 'switchboard_cache_requests_total', help: 'Requests on cache-enabled aliases, by how the cache served them', labelNames: ['result'], registers });
  const savedTokens = new Counter({ name: 'switchboard_cache_saved_tokens_total', help: 'Tokens the response cache answered without a provider', labelNames: ['direction'], registers });
  const shared = deps.shared;
  if (shared) {
    new Gauge({ name: 'switchboard_shared_state_up', help: 'Whether the shared server (Redis/Valkey) is reachable: 0 = degraded, limits apply per instance', registers, collect() { this.set(shared.isUp() ? 1 : 0); } });
    new Gauge({ name: 'switchboard_shared_state_outages', help: 'Times the shared server became unreachable since this instance started', registers, collect() { this.set(shared.outages()); } });
  }
  const refusals = new Counter({ name: 'switchboard_refusals_total', help: 'Requests Switchboard answered with an error itself, before or instead of any provider', labelNames: ['code'], registers });

  return {
    observe(record) {
      // A failed request is labelled with the upstream its last attempt went to.
      const last = record.attempts.at(-1);
      const provider = guard.value('provider', record.provider ?? last?.provider);
      const model = guard.value('model', record.upstreamModel ?? last?.model);
      const client = guard.value('client', record.client);
      const dialect = guard.value('dialect', record.dialect);
      requests.inc({ dialect, provider, model, client, status: String(record.status) });
      duration.observe({ dialect, provider, model }, record.durationMs / 1000);
      if (record.ttftMs !== null) ttft.observe({ dialect, provider, model }, record.ttftMs / 1000);
      const input = record.inputTokens ?? 0;
      const output = record.outputTokens ?? 0;
      if (record.cache === 'hit') {
        cacheHits.inc();
        if (input) savedTokens.inc({ direction: 'input' }, input);
        if (output) savedTokens.inc({ direction: 'output' }, output);
      } else if (!record.endpoint.endsWith('/count_tokens') && (input || output)) {
        if (input) tokens.inc({ direction: 'input', provider, model }, input);
        if (output) tokens.inc({ direction: 'output', provider, model }, output);
        const usd = record.upstreamModel ? deps.cost(record.upstreamModel, input, output) : null;
        if (usd) cost.inc({ provider, model, client }, usd);
      }
      if (record.cache) cacheLookups.inc({ result: record.cache });
      for (const attempt of record.attempts) {
        if (attempt.errorCode) upstreamErrors.inc({ provider: guard.value('provider', attempt.provider), code: guard.value('code', attempt.errorCode) });
      }
      if (record.errorCode && record.errorCode !== 'client_closed' && record.attempts.length === 0 && record.status >= 400) {
        refusals.inc({ code: guard.value('code', record.errorCode) });
      }
    },
    refused(code) {
      refusals.inc({ code: guard.value('code', code) });
    },
    keyCooledDown(provider, reason) {
      cooldowns.inc({ provider: guard.value('provider', provider), reason });
    },
    streams: {
      opened: () => activeStreams.inc(),
      closed: () => activeStreams.dec(),
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
