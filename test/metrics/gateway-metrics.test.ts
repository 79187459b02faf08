import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../../src-proxy/metrics/gateway-metrics.ts';
import { createLabelGuard } from '../../src-proxy/metrics/label-guard.ts';
import { bearerMatches } from '../../src-proxy/metrics/metrics-route.ts';
import { historyRecord } from '../store/helpers.ts';

describe('metric labels stay bounded', () => {
  it('keeps the first values of a label and calls the rest "other"', () => {
    const guard = createLabelGuard(2);
    expect(['a', 'b', 'c', 'a', null, 'x'.repeat(100)].map((value) => guard.value('client', value))).toEqual(['a', 'b', 'other', 'a', 'none', 'other']);
    expect(guard.value('model', 'c')).toBe('c');
  });

  it('gives made-up client names no series of their own past the limit', async () => {
    const metrics = createGatewayMetrics({ cost: () => null, labelLimit: 3 });
    for (let i = 0; i < 50; i++) metrics.observe(historyRecord({ client: `tool-${i}` }));
    const families = parsePrometheusTextFormat(await metrics.render());
    const requests = families.find((family) => family.name === 'switchboard_requests_total')!;
    expect(requests.metrics.map((metric) => metric.labels?.client).sort()).toEqual(['other', 'tool-0', 'tool-1', 'tool-2']);
    expect(requests.metrics.find((metric) => metric.labels?.client === 'other')?.value).toBe('47');
  });
});

describe('the metrics token check', () => {
  it('takes only a bearer token that matches one of the accepted tokens', () => {
    expect(bearerMatches('Bearer sbm-1234567890abcdef', ['sbm-1234567890abcdef', 'admin'])).toBe(true);
    expect(bearerMatches('bearer admin', ['sbm-1234567890abcdef', 'admin'])).toBe(true);
    expect(bearerMatches('Bearer sbm-1234567890abcde', ['sbm-1234567890abcdef'])).toBe(false);
    expect(bearerMatches('sbm-1234567890abcdef', ['sbm-1234567890abcdef'])).toBe(false);
    expect(bearerMatches(undefined, ['x'])).toBe(false);
    expect(bearerMatches('Bearer anything', [])).toBe(false);
  });
});
