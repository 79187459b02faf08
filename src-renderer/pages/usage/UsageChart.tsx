import { useState, type KeyboardEvent } from 'react';
import { formatCompact, formatUsd } from '../../lib/format';
import { niceCeiling, type PeriodSeries, type UsageMetric } from './aggregate';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 48, right: 8, top: 10, bottom: 26 };

/**
 * Stacked bars per hour or day, drawn as SVG; colours come from CSS variables (--series-N).
 * Pointing at a bar, or moving through the bars with the arrow keys, shows that period's values.
 */
export function UsageChart({ data, metric, seriesLabel, axisLabel, periodTitle }: {
  data: PeriodSeries;
  metric: UsageMetric;
  /** How each series key reads (its dimension's words for an empty key, "other"). */
  seriesLabel: (key: string) => string;
  /** Short tick text under a bar. */
  axisLabel: (period: string) => string;
  /** The readout's heading for a period. */
  periodTitle: (period: string) => string;
}) {
  const [active, setActive] = useState<number | null>(null);
  const ceiling = niceCeiling(data.max);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const count = Math.max(1, data.periods.length);
  const slot = plotWidth / count;
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotHeight - (value / ceiling) * plotHeight;
  const format = (value: number) => (metric === 'cost' ? formatUsd(value) : formatCompact(value));
  const labelEvery = Math.ceil(data.periods.length / 10);
  const onKeyDown = (event: KeyboardEvent) => {
    const last = data.periods.length - 1;
    const next = { ArrowRight: (active ?? -1) + 1, ArrowLeft: (active ?? last + 1) - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    setActive(Math.max(0, Math.min(last, next)));
  };
  const readout = active !== null ? data.series.map((serie, s) => ({ key: serie.key, s, value: serie.values[active] ?? 0 })).filter((row) => row.value > 0) : [];
  return (
    <figure className="chart" onPointerLeave={() => setActive(null)}>
      <div className="chart-plot" tabIndex={0} role="group" aria-label={`${metric} per period; arrow keys show each period's values`}
        onKeyDown={onKeyDown} onBlur={() => setActive(null)}>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" preserveAspectRatio="none">
          {[0, 0.5, 1].map((fraction) => (
            <g key={fraction}>
              <line className="grid-line" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(ceiling * fraction)} y2={y(ceiling * fraction)} />
              <text className="axis" x={PAD.left - 6} y={y(ceiling * fraction) + 4} textAnchor="end">{format(ceiling * fraction)}</text>
            </g>
          ))}
          {data.periods.map((period, p) => {
            let base = 0;
            const x = PAD.left + p * slot + (slot - barWidth) / 2;
            return (
              <g key={period} className={active === p ? 'column bar-active' : 'column'} onPointerEnter={() => setActive(p)}>
                {/* The whole column answers the pointer, not only the (maybe tiny) bar; it also marks the active one. */}
                <rect className="hit" x={PAD.left + p * slot} y={PAD.top} width={slot} height={plotHeight} />
                {data.series.map((serie, s) => {
                  const value = serie.values[p] ?? 0;
                  if (value === 0) return null;
                  const top = y(base + value);
                  const height = y(base) - top;
                  base += value;
                  return <rect key={serie.key} className={`series-${s}`} x={x} y={top} width={barWidth} height={height} />;
                })}
                {p % labelEvery === 0 ? <text className="axis" x={x + barWidth / 2} y={HEIGHT - 8} textAnchor="middle">{axisLabel(period)}</text> : null}
              </g>
            );
          })}
        </svg>
        {active !== null ? (
          <div className="chart-readout" role="status" style={{ left: `${Math.min(85, Math.max(15, ((PAD.left + (active + 0.5) * slot) / WIDTH) * 100))}%` }}>
            <strong>{periodTitle(data.periods[active]!)}</strong>
            {readout.length === 0 ? <div className="muted">nothing</div> : readout.map((row) => (
              <div key={row.key} className="readout-row">
                <span><span className={`swatch series-${row.s}`} aria-hidden="true" />{seriesLabel(row.key)}</span>
                <span className="num">{format(row.value)}</span>
              </div>
            ))}
            {readout.length > 1 ? (
              <div className="readout-row readout-total"><span>Total</span><span className="num">{format(readout.reduce((sum, row) => sum + row.value, 0))}</span></div>
            ) : null}
          </div>
        ) : null}
      </div>
      <figcaption className="legend">
        {data.series.map((serie, s) => (
          <span key={serie.key}><span className={`swatch series-${s}`} aria-hidden="true" />{seriesLabel(serie.key)}</span>
        ))}
      </figcaption>
    </figure>
  );
}
