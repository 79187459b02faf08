import { keepPreviousData } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { PerformanceGroup, UsageDimension } from '../../../src-proxy/control/contract.ts';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { Panel } from '../../components/Panel';
import { useControlQuery } from '../../hooks/use-control';
import { formatInteger, formatMs, formatUsd } from '../../lib/format';

const HOUR = 3_600_000;

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((part / whole) * 100).toFixed(part === 0 || part === whole ? 0 : 1)} %`;
}

/**
 * Latency (p50/p95 to the last byte and to the first token), error rate and the response cache's
 * hit rate and savings per group, over the last 24 or 48 hours of the history (percentiles need
 * each request, and history keeps them; the roll-ups above keep only sums).
 */
/**
 * `groupLabel` and `keyLabel` are asked for the dimension the shown report was grouped by: while a
 * regrouped report loads, the previous one stays on screen, and it keeps its own column title and
 * key names (never the new title over the old rows).
 */
export function LatencyPanel({ hours, dimension, groupLabel, keyLabel }: {
  hours: 24 | 48;
  dimension: UsageDimension;
  groupLabel: (dimension: UsageDimension) => string;
  keyLabel: (dimension: UsageDimension, key: string) => string;
}) {
  const bounds = useMemo(() => {
    const to = Date.now();
    return { from: to - hours * HOUR, to };
  }, [hours]);
  const query = useControlQuery('getPerformance', { ...bounds, groupBy: dimension }, { placeholderData: keepPreviousData });
  const report = query.data;
  const shownDimension = report?.groupBy ?? dimension;
  const totals = report?.totals;
  const stats = [
    { label: 'p50 / p95 latency', value: totals ? `${formatMs(totals.p50Ms)} / ${formatMs(totals.p95Ms)}` : '–' },
    { label: 'p50 / p95 first token', value: totals ? `${formatMs(totals.ttftP50Ms)} / ${formatMs(totals.ttftP95Ms)}` : '–' },
    { label: 'Error rate', value: totals ? percent(totals.errors, totals.requests) : '–' },
    { label: 'Cache hit rate', value: totals ? percent(totals.cacheHits, totals.cacheLookups) : '–' },
    { label: 'Saved by the cache', value: formatUsd(totals?.savedUsd ?? (totals?.cacheHits ? null : 0)) },
  ];
  return (
    <Panel title={`Latency, errors and cache — last ${hours} hours`}>
      <ErrorNotice error={query.error} />
      <div className="stats" role="list" aria-label="Latency totals">
        {stats.map((stat) => (
          <div key={stat.label} className="stat" role="listitem"><div className="stat-value">{stat.value}</div><div className="stat-label">{stat.label}</div></div>
        ))}
      </div>
      {query.isPending ? <Loading /> : !report || report.groups.length === 0 ? (
        <EmptyState title="No requests in this window">Latency fills in as requests go through Switchboard.</EmptyState>
      ) : (
        <table className="table" aria-label="Latency by group">
          <thead>
            <tr>
              <th>{groupLabel(shownDimension)}</th><th className="num">Requests</th><th className="num">Error rate</th><th className="num">p50</th><th className="num">p95</th>
              <th className="num">TTFT p50</th><th className="num">TTFT p95</th><th className="num">Cache hits</th><th className="num">Saved</th>
            </tr>
          </thead>
          <tbody>
            {report.groups.map((group: PerformanceGroup) => (
              <tr key={group.key}>
                <td className={group.key === '' ? 'muted ellipsis' : 'mono ellipsis'}>{keyLabel(shownDimension, group.key)}</td>
                <td className="num">{formatInteger(group.requests)}</td>
                <td className="num">{percent(group.errors, group.requests)}</td>
                <td className="num">{formatMs(group.p50Ms)}</td>
                <td className="num">{formatMs(group.p95Ms)}</td>
                <td className="num">{formatMs(group.ttftP50Ms)}</td>
                <td className="num">{formatMs(group.ttftP95Ms)}</td>
                <td className="num">{group.cacheLookups === 0 ? '–' : `${formatInteger(group.cacheHits)} (${percent(group.cacheHits, group.cacheLookups)})`}</td>
                <td className="num">{group.cacheHits === 0 ? '–' : formatUsd(group.savedUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report?.sampled ? <p className="muted small">Busy window: figures cover its newest 200,000 requests.</p> : null}
    </Panel>
  );
}
