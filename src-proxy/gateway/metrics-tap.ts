/**
 * Metrics as the engine wires them: the series exist only once settings.metrics.enabled is on
 * (until then every hook below is one settings read), cost comes from the price table (rebuilt
 * when prices change), key cooldowns are named by their provider, and GET /metrics accepts the
 * metrics token or the dashboard's admin token.
 */
import { peekAdminToken } from '../control/admin-token.ts';
import type { HistoryRecord } from '../domain/history.ts';
import type { Settings } from '../domain/settings.ts';
import { createGatewayMetrics, type GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { MetricsEndpoint } from '../metrics/metrics-route.ts';
import { createPriceIndex } from '../policy/price-index.ts';
import type { Store } from '../store/types.ts';

export interface MetricsTap {
  /** A finished request (the record the history also gets). */
  observe(record: HistoryRecord): void;
  /** A request refused before a front door read it. */
  refused(code: string): void;
  keyCooledDown(keyId: number, reason: 'rate_limited' | 'rejected'): void;
  /** The active-streams counter for a new exchange, or undefined while metrics are off. */
  streams(): GatewayMetrics['streams'] | undefined;
  readonly endpoint: MetricsEndpoint;
  /** The price table changed: costs use the new one. */
  pricesChanged(): void;
}

export function createMetricsTap(deps: {
  settings: () => Settings;
  store: Pick<Store, 'prices' | 'keys' | 'appState'>;
  /** The shared server of a team, when there is one (its up/down gauge). */
  shared?: { isUp(): boolean; outages(): number };
}): MetricsTap {
  let prices = createPriceIndex(deps.store.prices.list());
  let metrics: GatewayMetrics | null = null;
  const live = (): GatewayMetrics | null =>
    deps.settings().metrics.enabled ? (metrics ??= createGatewayMetrics({ cost: (model, input, output) => prices.cost(model, input, output), shared: deps.shared })) : null;

  return {
    observe: (record) => live()?.observe(record),
    refused: (code) => live()?.refused(code),
    keyCooledDown(keyId, reason) {
      live()?.keyCooledDown(deps.store.keys.get(keyId)?.providerId ?? 'unknown', reason);
    },
    streams: () => live()?.streams,
    endpoint: {
      enabled: () => deps.settings().metrics.enabled,
      tokens: () => [deps.settings().metrics.token, peekAdminToken(deps.store)].filter((token): token is string => token !== null),
      async render() {
        const current = live();
        if (!current) throw new Error('metrics were turned off while being read');
        return { contentType: current.contentType, body: await current.render() };
      },
    },
    pricesChanged() {
      prices = createPriceIndex(deps.store.prices.list());
    },
  };
}
