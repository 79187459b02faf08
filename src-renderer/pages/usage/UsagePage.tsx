import { useMemo, useState } from 'react';
import type { UsageQuery } from '../../../src-proxy/control/contract.ts';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { useControlQuery } from '../../hooks/use-control';
import { formatCompact, formatInteger, formatUsd } from '../../lib/format';
import { dailySeries, totalsByKey, utcDays, type UsageMetric } from './aggregate';
import { BreakdownTable } from './BreakdownTable';
import { DailyChart } from './DailyChart';
import { PriceTable } from './PriceTable';

const RANGES = { 7: 'Last 7 days', 30: 'Last 30 days', 90: 'Last 90 days' } as const;
const GROUP_LABELS = { model: 'Model', provider: 'Provider', client: 'Client' } as const;
const METRIC_LABELS: Record<UsageMetric, string> = { requests: 'Requests', tokens: 'Tokens', cost: 'Estimated cost' };

export function UsagePage() {
  const [days, setDays] = useState<keyof typeof RANGES>(30);
  const [groupBy, setGroupBy] = useState<UsageQuery['groupBy']>('model');
  const [metric, setMetric] = useState<UsageMetric>('requests');
  const range = useMemo(() => {
    const to = Date.now();
    return { from: to - (days - 1) * 86_400_000, to };
  }, [days]);
  const usage = useControlQuery('getUsage', { ...range, groupBy });
  const buckets = usage.data?.buckets ?? [];
  const series = useMemo(() => dailySeries(buckets, utcDays(range.from, range.to), metric), [buckets, range, metric]);
  const totals = useMemo(() => totalsByKey(buckets, metric), [buckets, metric]);
  const sum = usage.data?.totals;

  const controls = (
    <div className="inline-form">
      <select aria-label="Time range" value={days} onChange={(e) => setDays(Number(e.target.value) as keyof typeof RANGES)}>
        {Object.entries(RANGES).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
      </select>
      <select aria-label="Group by" value={groupBy} onChange={(e) => setGroupBy(e.target.value as UsageQuery['groupBy'])}>
        {Object.entries(GROUP_LABELS).map(([value, label]) => <option key={value} value={value}>By {label.toLowerCase()}</option>)}
      </select>
      <div className="segmented" role="radiogroup" aria-label="Metric">
        {(Object.keys(METRIC_LABELS) as UsageMetric[]).map((name) => (
          <button key={name} type="button" role="radio" aria-checked={metric === name} onClick={() => setMetric(name)}>{METRIC_LABELS[name]}</button>
        ))}
      </div>
    </div>
  );

  return (
    <>
      <PageHeader title="Usage" description="Requests, tokens and estimated cost per day. Costs use the price table below." actions={controls} />
      <ErrorNotice error={usage.error} />
      {sum ? (
        <div className="stats" role="list">
          <div className="stat" role="listitem"><div className="stat-value">{formatInteger(sum.requests)}</div><div className="stat-label">Requests</div></div>
          <div className="stat" role="listitem"><div className="stat-value">{formatInteger(sum.errors)}</div><div className="stat-label">Errors</div></div>
          <div className="stat" role="listitem"><div className="stat-value">{formatCompact(sum.inputTokens + sum.outputTokens)}</div><div className="stat-label">Tokens</div></div>
          <div className="stat" role="listitem"><div className="stat-value">{formatUsd(sum.costUsd)}</div><div className="stat-label">Estimated cost</div></div>
        </div>
      ) : null}
      <Panel title={`${METRIC_LABELS[metric]} per day, by ${GROUP_LABELS[groupBy].toLowerCase()}`}>
        {usage.isPending ? <Loading /> : buckets.length === 0 ? (
          <EmptyState title="No usage in this period">Charts fill in as requests go through Switchboard.</EmptyState>
        ) : <DailyChart data={series} metric={metric} />}
      </Panel>
      {totals.length > 0 ? <Panel title={`By ${GROUP_LABELS[groupBy].toLowerCase()}`}><BreakdownTable totals={totals} metric={metric} groupLabel={GROUP_LABELS[groupBy]} /></Panel> : null}
      <PriceTable />
    </>
  );
}
