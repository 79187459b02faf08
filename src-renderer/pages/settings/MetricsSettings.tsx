import type { Settings, SettingsPatch } from '../../../src-proxy/control/contract.ts';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel } from '../../components/Panel';
import { Switch } from '../../components/Switch';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';

/**
 * GET /metrics for Prometheus: on or off, and the bearer token a scraper presents (shown once
 * when made; the dashboard's admin token works too).
 */
export function MetricsSettings({ settings, save }: { settings: Settings; save: (patch: SettingsPatch) => void }) {
  const rotate = useControlMutation('rotateMetricsToken');
  const status = useControlQuery('getStatus').data;
  const url = status?.baseUrl ? `${status.baseUrl}/metrics` : '/metrics on the proxy port';
  const { enabled, token } = settings.metrics;
  return (
    <Panel title="Metrics">
      <Switch label="Serve Prometheus metrics" checked={enabled} onChange={(on) => save({ metrics: { enabled: on } })} />
      <p className="muted small">
        Requests, latency and time to first token, tokens, cost, upstream errors, key cooldowns, active streams, cache hits and refusals, at <code>{url}</code>,
        for a scraper that sends <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div className="fact">
        <span className="muted">Metrics token:</span>
        {token ? <code className="mono">{token}</code> : <span>none yet{enabled ? ' (only the dashboard’s admin token can read them)' : ''}</span>}
        <button type="button" className="button small" disabled={rotate.isPending} onClick={() => rotate.mutate(undefined)}>{token ? 'Replace metrics token' : 'Create metrics token'}</button>
      </div>
      {rotate.data ? (
        <div className="notice notice-ok created-token" role="status">
          <div>Metrics token — copy it now, it is not shown again{token ? '; the previous one stopped working' : ''}:</div>
          <div className="inline-form"><code className="secret">{rotate.data.token}</code><CopyButton text={rotate.data.token} className="button small" /></div>
        </div>
      ) : null}
      <ErrorNotice error={rotate.error} />
    </Panel>
  );
}
