import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel } from '../../components/Panel';
import { StatusPill } from '../../components/StatusPill';
import { useControlQuery } from '../../hooks/use-control';
import { formatMs, formatTime } from '../../lib/format';

/** The latest requests; new ones arrive through the live events (see live-cache.ts). */
export function LiveFeed() {
  const history = useControlQuery('queryHistory', { limit: 8 });
  const rows = history.data?.rows ?? [];
  return (
    <Panel title="Latest requests" actions={<a className="button small" href="#/history">Open history</a>}>
      <ErrorNotice error={history.error} />
      {history.data && rows.length === 0 ? (
        <EmptyState title="No requests yet" action={<a className="button primary" href="#/connect">Connect a tool</a>}>
          Point a tool at one of the endpoints above; each request shows up here as it happens.
        </EmptyState>
      ) : (
        <ul className="feed" aria-live="polite">
          {rows.map((row) => (
            <li key={row.id}>
              <span className="mono muted">{formatTime(row.startedAt)}</span>
              <StatusPill status={row.status} errorCode={row.errorCode} />
              <span className="feed-model">
                {row.requestedModel ?? '–'}
                {row.provider ? <span className="muted"> → {row.provider}/{row.upstreamModel}</span> : null}
              </span>
              <span className="muted">{row.client}</span>
              <span className="mono">{formatMs(row.durationMs)}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
