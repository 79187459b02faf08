import { keepPreviousData } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { UsageDimension } from '../../../src-proxy/control/contract.ts';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { useControlQuery } from '../../hooks/use-control';
import { formatCompact, formatInteger, formatUsd } from '../../lib/format';
import { keyLabel, periodSeries, periodStart, totalsByKey, utcPeriods, type UsageMetric } from './aggregate';
import { BreakdownTable } from './BreakdownTable';
import { LatencyPanel } from './LatencyPanel';
import { PriceTable } from './PriceTable';
import { UsageChart } from './UsageChart';

const HOUR = 3_600_000;
/** Short ranges go by the hour, long ones by the day. */
const RANGES = {
  '24h': { label: 'Last 24 hours, by hour', span: 24 * HOUR, bucket: 'hour' },
  '7d': { label: 'Last 7 days, by day', span: 7 * 24 * HOUR, bucket: 'day' },
  '30d': { label: 'Last 30 days, by day', span: 30 * 24 * HOUR, bucket: 'day' },
  '90d': { label: 'Last 90 days, by day', span: 90 * 24 * HOUR, bucket: 'day' },
} as const;
type RangeName = keyof typeof RANGES;

/** One dimension per view, named for what it is. */
const DIMENSIONS: Record<UsageDimension, { option: string; column: string }> = {
  requested: { option: 'By model asked for (alias)', column: 'Model asked for' },
  upstream: { option: 'By provider/model that answered', column: 'Provider/model that answered' },
  provider: { option: 'By provider', column: 'Provider' },
  client: { option: 'By client', column: 'Client' },
};
const METRIC_LABELS: Record<UsageMetric, string> = { requests: 'Requests', tokens: 'Tokens', cost: 'Estimated cost' };

const hourFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

export function UsagePage() {
  const [rangeName, setRangeName] = useState<RangeName>('30d');
  const [dimension, setDimension] = useState<UsageDimension>('requested');
  const [metric, setMetric] = useState<UsageMetric>('requests');
  const range = RANGES[rangeName];
  const bounds = useMemo(() => {
    const to = Date.now();
    return { from: to - range.span + (range.bucket === 'hour' ? HOUR : 24 * HOUR), to };
  }, [range]);
  // The previous answer stays on screen while the next loads, so nothing jumps when a control changes.
  const usage = useControlQuery('getUsage', { ...bounds, groupBy: dimension, bucket: range.bucket }, { placeholderData: keepPreviousData });
  const report = usage.data;
  const buckets = report?.buckets ?? [];
  // Labels follow the data on screen (during a change that is still the previous view's).
  const shownDimension = report?.groupBy ?? dimension;
  const shownBucket = report?.bucket ?? range.bucket;
  const periods = useMemo(() => utcPeriods(bounds.from, bounds.to, shownBucket), [bounds, shownBucket]);
  const series = useMemo(() => periodSeries(buckets, periods, metric), [buckets, periods, metric]);
  const totals = useMemo(() => totalsByKey(buckets, metric), [buckets, metric]);
  const sum = report?.totals;
  const label = (key: string) => keyLabel(shownDimension, key);
  const axisLabel = (period: string) => (shownBucket === 'hour' ? hourFormat.format(periodStart(period)) : period.slice(5));
  const periodTitle = (period: string) =>
    shownBucket === 'hour' ? `${hourFormat.format(periodStart(period))}–${hourFormat.format(periodStart(period) + HOUR)}` : `${dayFormat.format(periodStart(period))} (UTC)`;

  const stats = [
    { label: 'Requests', value: sum ? formatInteger(sum.requests) : '–' },
    { label: 'Errors', value: sum ? formatInteger(sum.errors) : '–' },
    { label: 'Tokens', value: sum ? formatCompact(sum.inputTokens + sum.outputTokens) : '–' },
    { label: 'Estimated cost', value: formatUsd(sum?.costUsd) },
  ];
  return (
    <>
      <PageHeader title="Usage" description="Requests, tokens and estimated cost over time, by one dimension at a time. Costs use the price table below." />
      <div className="toolbar" role="group" aria-label="Usage view">
        <select className="range-select" aria-label="Time range" value={rangeName} onChange={(e) => setRangeName(e.target.value as RangeName)}>
          {Object.entries(RANGES).map(([value, option]) => <option key={value} value={value}>{option.label}</option>)}
        </select>
        <select aria-label="Group by" value={dimension} onChange={(e) => setDimension(e.target.value as UsageDimension)}>
          {Object.entries(DIMENSIONS).map(([value, names]) => <option key={value} value={value}>{names.option}</option>)}
        </select>
        <div className="segmented" role="radiogroup" aria-label="Metric">
          {(Object.keys(METRIC_LABELS) as UsageMetric[]).map((name) => (
            <button key={name} type="button" role="radio" aria-checked={metric === name} onClick={() => setMetric(name)}>{METRIC_LABELS[name]}</button>
          ))}
        </div>
        <span className="updating" aria-live="polite">{usage.isFetching && report ? 'Updating…' : ''}</span>
      </div>
      <ErrorNotice error={usage.error} />
      <div className="stats" role="list" aria-busy={usage.isFetching}>
        {stats.map((stat) => (
          <div key={stat.label} className="stat" role="listitem"><div className="stat-value">{stat.value}</div><div className="stat-label">{stat.label}</div></div>
        ))}
      </div>
      <Panel className="usage-chart-panel" title={`${METRIC_LABELS[metric]} per ${shownBucket}, ${DIMENSIONS[shownDimension].option.toLowerCase()}`}>
        {usage.isPending ? <Loading /> : buckets.length === 0 ? (
          <EmptyState title="No usage in this period">Charts fill in as requests go through Switchboard.</EmptyState>
        ) : <UsageChart data={series} metric={metric} seriesLabel={label} axisLabel={axisLabel} periodTitle={periodTitle} />}
      </Panel>
      {totals.length > 0 ? (
        <Panel title={DIMENSIONS[shownDimension].option}>
          <BreakdownTable totals={totals} metric={metric} groupLabel={DIMENSIONS[shownDimension].column} keyLabel={label} />
        </Panel>
      ) : null}
      <LatencyPanel hours={rangeName === '24h' ? 24 : 48} dimension={dimension} groupLabel={(shown) => DIMENSIONS[shown].column} keyLabel={keyLabel} />
      <PriceTable />
    </>
  );
}
