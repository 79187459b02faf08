import { formatCompact, formatUsd } from '../../lib/format';
import { niceCeiling, type DailySeries, type UsageMetric } from './aggregate';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 48, right: 8, top: 10, bottom: 26 };

/** Stacked bars per day, drawn as SVG; colours come from CSS variables (--series-N). */
export function DailyChart({ data, metric }: { data: DailySeries; metric: UsageMetric }) {
  const ceiling = niceCeiling(data.max);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, data.days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotHeight - (value / ceiling) * plotHeight;
  const label = (value: number) => (metric === 'cost' ? formatUsd(value) : formatCompact(value));
  const labelEvery = Math.ceil(data.days.length / 10);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${metric} per day`} preserveAspectRatio="none">
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line className="grid-line" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(ceiling * fraction)} y2={y(ceiling * fraction)} />
            <text className="axis" x={PAD.left - 6} y={y(ceiling * fraction) + 4} textAnchor="end">{label(ceiling * fraction)}</text>
          </g>
        ))}
        {data.days.map((day, d) => {
          let base = 0;
          const x = PAD.left + d * slot + (slot - barWidth) / 2;
          return (
            <g key={day}>
              {data.series.map((serie, s) => {
                const value = serie.values[d] ?? 0;
                if (value === 0) return null;
                const top = y(base + value);
                const height = y(base) - top;
                base += value;
                return (
                  <rect key={serie.key} className={`series-${s}`} x={x} y={top} width={barWidth} height={height}>
                    <title>{`${day} · ${serie.key}: ${label(value)}`}</title>
                  </rect>
                );
              })}
              {d % labelEvery === 0 ? <text className="axis" x={x + barWidth / 2} y={HEIGHT - 8} textAnchor="middle">{day.slice(5)}</text> : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {data.series.map((serie, s) => (
          <span key={serie.key}><span className={`swatch series-${s}`} aria-hidden="true" />{serie.key}</span>
        ))}
      </figcaption>
    </figure>
  );
}
