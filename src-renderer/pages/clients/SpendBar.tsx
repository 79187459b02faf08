import type { SpendTotals } from '../../../src-proxy/control/contract.ts';
import { budgetState, PERIOD_WORDS } from '../../lib/budget';
import { formatCompact, formatInteger, formatUsd } from '../../lib/format';

/**
 * One period's spend: against its budget as a meter when one is set, else the amount alone; its
 * requests and tokens; and "no price" for requests whose model the price table does not know.
 */
export function SpendBar({ period, label, totals, budgetUsd }: { period: 'day' | 'month'; label: string; totals: SpendTotals; budgetUsd: number | undefined }) {
  const state = budgetState(period, totals.costUsd, budgetUsd);
  const percent = state ? Math.min(100, Math.round(state.fraction * 100)) : 0;
  const spent = formatUsd(totals.costUsd);
  return (
    <div className="spend">
      <div className="row-between small">
        <span className="spend-label">{label}</span>
        <span className="num">{state ? <>{spent} of {formatUsd(state.budgetUsd)}</> : <>{spent} <span className="muted">· no budget</span></>}</span>
      </div>
      {state ? (
        <div className={`meter meter-${state.level}`} role="meter" aria-label={`${label}: spend against the ${PERIOD_WORDS[period].adjective} budget`}
          aria-valuemin={0} aria-valuemax={state.budgetUsd} aria-valuenow={Math.min(state.spentUsd, state.budgetUsd)}
          aria-valuetext={`${spent} of ${formatUsd(state.budgetUsd)} (${Math.round(state.fraction * 100)} %)`}>
          <div className="meter-fill" style={{ width: `${percent}%` }} />
        </div>
      ) : null}
      <div className="muted small">
        {formatInteger(totals.requests)} request{totals.requests === 1 ? '' : 's'} · {formatCompact(totals.inputTokens + totals.outputTokens)} tokens
        {totals.unpricedRequests > 0 ? <> · <span className="tag" title="Their tokens count; add a price on the Usage page to count their cost">{formatInteger(totals.unpricedRequests)} with no price</span></> : null}
      </div>
    </div>
  );
}
