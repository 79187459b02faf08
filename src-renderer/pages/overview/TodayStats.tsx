import { useMemo } from 'react';
import { useControlQuery } from '../../hooks/use-control';
import { formatCompact, formatInteger, formatUsd } from '../../lib/format';

function startOfToday(): number {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
}

/** Today's requests, errors, tokens and estimated cost. */
export function TodayStats() {
  const status = useControlQuery('getStatus');
  const from = useMemo(startOfToday, []);
  const usage = useControlQuery('getUsage', { from, to: from + 86_400_000, groupBy: 'provider' });
  const totals = usage.data?.totals;
  const stats = [
    { label: 'Requests today', value: formatInteger(status.data?.requestsToday) },
    { label: 'Errors today', value: formatInteger(status.data?.errorsToday), tone: (status.data?.errorsToday ?? 0) > 0 ? 'bad' : '' },
    { label: 'Tokens today', value: totals ? formatCompact(totals.inputTokens + totals.outputTokens) : '–' },
    { label: 'Estimated cost', value: formatUsd(totals?.costUsd) },
  ];
  return (
    <div className="stats" role="list">
      {stats.map((stat) => (
        <div key={stat.label} className={`stat ${stat.tone ?? ''}`} role="listitem">
          <div className="stat-value">{stat.value}</div>
          <div className="stat-label">{stat.label}</div>
        </div>
      ))}
    </div>
  );
}
