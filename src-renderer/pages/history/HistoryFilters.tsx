import type { HistoryFilterState } from './filters';

/** Status, model, provider, client, time range and full-text search. */
export function HistoryFilters({ value, onChange }: { value: HistoryFilterState; onChange: (value: HistoryFilterState) => void }) {
  const set = <K extends keyof HistoryFilterState>(key: K) => (next: HistoryFilterState[K]) => onChange({ ...value, [key]: next });
  return (
    <div className="filters" role="search" aria-label="Filter history">
      <input type="search" className="grow" aria-label="Search bodies, models and clients" placeholder="Search bodies, models, clients…"
        value={value.search} onChange={(e) => set('search')(e.target.value)} />
      <select aria-label="Status" value={value.status} onChange={(e) => set('status')(e.target.value as HistoryFilterState['status'])}>
        <option value="">Any status</option>
        <option value="ok">Succeeded</option>
        <option value="error">Failed</option>
      </select>
      <input aria-label="Model" placeholder="Model" value={value.model} onChange={(e) => set('model')(e.target.value)} />
      <input aria-label="Provider" placeholder="Provider" value={value.provider} onChange={(e) => set('provider')(e.target.value)} />
      <input aria-label="Client" placeholder="Client" value={value.client} onChange={(e) => set('client')(e.target.value)} />
      <select aria-label="Time range" value={value.range} onChange={(e) => set('range')(e.target.value as HistoryFilterState['range'])}>
        <option value="">All time</option>
        <option value="1h">Last hour</option>
        <option value="24h">Last 24 hours</option>
        <option value="7d">Last 7 days</option>
        <option value="30d">Last 30 days</option>
      </select>
      {value.session ? (
        <button type="button" className="button small chip" aria-label={`Show every session (now: ${value.session})`} onClick={() => set('session')('')}>
          Session <span className="mono">{value.session}</span> ×
        </button>
      ) : null}
    </div>
  );
}
