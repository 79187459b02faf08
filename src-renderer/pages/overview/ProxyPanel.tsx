import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel } from '../../components/Panel';
import { Switch } from '../../components/Switch';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { formatRelative } from '../../lib/format';

/** The proxy state with its start/stop switch. */
export function ProxyPanel() {
  const status = useControlQuery('getStatus');
  const start = useControlMutation('startProxy');
  const stop = useControlMutation('stopProxy');
  const data = status.data;
  const running = data?.state === 'running';
  const busy = start.isPending || stop.isPending || data?.state === 'starting' || data?.state === 'stopping';
  return (
    <Panel title="Proxy">
      <div className="row-between">
        <div>
          <div className={`state state-${data?.state ?? 'stopped'}`}>{data?.state ?? '…'}</div>
          <div className="muted small">
            {running && data?.startedAt ? `since ${formatRelative(data.startedAt)} · ` : ''}
            {data ? `v${data.version}` : ''}
          </div>
        </div>
        <Switch label={running ? 'Running' : 'Stopped'} checked={running} disabled={!data || busy}
          onChange={(on) => (on ? start.mutate(undefined) : stop.mutate(undefined))} />
      </div>
      {data?.error ? <ErrorNotice error={data.error} /> : null}
      <ErrorNotice error={status.error ?? start.error ?? stop.error} />
      {data ? <div className="muted small wrap">Data folder: <code>{data.dataDir}</code></div> : null}
    </Panel>
  );
}
