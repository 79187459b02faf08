import type { Settings, SettingsPatch } from '../../../src-proxy/control/contract.ts';
import { Panel } from '../../components/Panel';
import { Switch } from '../../components/Switch';
import { useControlClient } from '../../hooks/control-context';
import { useControlQuery } from '../../hooks/use-control';
import { issueAt } from '../../lib/field-issues';
import { NumberSetting } from './NumberSetting';

/**
 * The port and start behaviour, told as they are: the port the proxy listens on now (which a
 * `--port` flag or a config can make differ from the saved one), the saved port for the next
 * start, and whether the proxy really starts on launch.
 */
export function ProxySettings({ settings, error, focusPort, save }: { settings: Settings; error: unknown; focusPort: boolean; save: (patch: SettingsPatch) => void }) {
  const { host, desktop } = useControlClient();
  const status = useControlQuery('getStatus').data;
  const listening = status?.state === 'running' ? status.port : null;
  const differs = listening !== null && listening !== settings.port;
  return (
    <Panel title="Proxy">
      <div className="fact">
        <span className="muted">Listening now:</span>
        {listening !== null ? <code>{status?.host}:{listening}</code> : <span>not running ({status?.state ?? '…'})</span>}
      </div>
      <NumberSetting label={differs ? 'Saved port' : 'Port'} integer min={0} max={65535} value={settings.port} autoFocus={focusPort}
        serverError={issueAt(error, 'port')} onCommit={(port) => save({ port })}
        hint={differs
          ? host === 'serve'
            ? `This run listens on ${listening} (set by --port or the config); the saved ${settings.port} is used by runs without either.`
            : `The proxy still listens on ${listening}; ${settings.port} applies when it next starts.`
          : 'Tools connect to 127.0.0.1 on this port. A change applies at the next start of the proxy; 0 picks a free port.'} />
      {host === 'desktop' ? (
        <>
          <Switch label="Start the proxy when Switchboard starts" checked={settings.startProxyOnLaunch} onChange={(startProxyOnLaunch) => save({ startProxyOnLaunch })} />
          {!settings.startProxyOnLaunch && !settings.onboardingComplete ? (
            <p className="muted small">Until the first-run setup is finished, the proxy starts anyway so its address works.</p>
          ) : null}
          <Switch label="Launch Switchboard at login" checked={settings.launchAtLogin} onChange={(launchAtLogin) => save({ launchAtLogin })} />
          {desktop ? <button type="button" className="button small ghost" onClick={() => void desktop.invoke('openLogsFolder')}>Open the logs folder</button> : null}
        </>
      ) : (
        <p className="muted small">
          Started by <code>switchboard serve</code>: the proxy runs as long as that command does. Starting on launch and at login are
          settings of the desktop app.
        </p>
      )}
    </Panel>
  );
}
