import { formatCompact, formatInteger, formatUsd } from '../../lib/format';
import { metricOf, type KeyTotal, type UsageMetric } from './aggregate';

/** Totals per key with an inline bar for the chosen metric. */
export function BreakdownTable({ totals, metric, groupLabel, keyLabel }: { totals: KeyTotal[]; metric: UsageMetric; groupLabel: string; keyLabel: (key: string) => string }) {
  const max = Math.max(1, ...totals.map((total) => metricOf(total, metric)));
  return (
    <table className="table" aria-label="Totals by group">
      <thead>
        <tr><th>{groupLabel}</th><th className="num">Requests</th><th className="num">Errors</th><th className="num">Tokens in</th><th className="num">Tokens out</th><th className="num">Est. cost</th><th aria-hidden="true" /></tr>
      </thead>
      <tbody>
        {totals.map((total) => (
          <tr key={total.key}>
            <td className={total.key === '' ? 'muted ellipsis' : 'mono ellipsis'}>{keyLabel(total.key)}</td>
            <td className="num">{formatInteger(total.requests)}</td>
            <td className="num">{formatInteger(total.errors)}</td>
            <td className="num">{formatCompact(total.inputTokens)}</td>
            <td className="num">{formatCompact(total.outputTokens)}</td>
            <td className="num">{formatUsd(total.costUsd)}</td>
            <td className="bar-cell" aria-hidden="true">
              <svg viewBox="0 0 100 8" preserveAspectRatio="none"><rect className="series-0" width={(metricOf(total, metric) / max) * 100} height="8" rx="2" /></svg>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
