import { useControlQuery } from '../hooks/use-control';
import { budgetWarnings, PERIOD_WORDS } from '../lib/budget';
import { formatUsd } from '../lib/format';

/**
 * A banner on every page while a client is at 80 % or more of a budget (the core also pushes a
 * `budget` event when one is crossed, which refreshes this at once).
 */
export function BudgetBanner() {
  const overview = useControlQuery('listClients', undefined, { refetchInterval: 60_000 });
  if (!overview.data) return null;
  const lane = { name: 'Ollama lane', limits: overview.data.lane.limits, usage: overview.data.lane.usage };
  const warnings = budgetWarnings([...overview.data.clients, lane]);
  if (warnings.length === 0) return null;
  const over = warnings.some((warning) => warning.state.level === 'over');
  return (
    <div className={`notice ${over ? 'notice-error' : 'notice-warn'} budget-banner`} role="status">
      <ul>
        {warnings.map(({ client, state }) => (
          <li key={`${client}:${state.period}`}>
            <strong>{client}</strong>{' '}
            {state.level === 'over'
              ? <>has spent its {PERIOD_WORDS[state.period].adjective} budget ({formatUsd(state.spentUsd)} of {formatUsd(state.budgetUsd)}): its requests are refused until it resets {PERIOD_WORDS[state.period].resets}.</>
              : <>is at {Math.floor(state.fraction * 100)} % of its {PERIOD_WORDS[state.period].adjective} budget ({formatUsd(state.spentUsd)} of {formatUsd(state.budgetUsd)}).</>}
          </li>
        ))}
      </ul>
      <a href="#/clients">Clients →</a>
    </div>
  );
}
