import type { SettingsPatch } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { Switch } from '../../components/Switch';
import { useControlClient } from '../../hooks/control-context';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { ClientTokens } from './ClientTokens';
import { NumberSetting } from './NumberSetting';
import { ThemeSetting } from './ThemeSetting';

export function SettingsPage() {
  const settings = useControlQuery('getSettings');
  const update = useControlMutation('updateSettings');
  const { capabilities } = useControlClient();
  const save = (patch: SettingsPatch) => update.mutate(patch);
  const s = settings.data;
  return (
    <>
      <PageHeader title="Settings" />
      <ErrorNotice error={settings.error ?? update.error} />
      {!s ? <Loading /> : (
        <div className="settings">
          <Panel title="Proxy">
            <NumberSetting label="Port" hint="Tools connect to 127.0.0.1 on this port. Applies at the next start of the proxy." value={s.port} min={0} max={65535} onCommit={(port) => save({ port })} />
            <Switch label="Start the proxy when Switchboard starts" checked={s.startProxyOnLaunch} onChange={(startProxyOnLaunch) => save({ startProxyOnLaunch })} />
            {capabilities.launchAtLogin ? <Switch label="Launch Switchboard at login" checked={s.launchAtLogin} onChange={(launchAtLogin) => save({ launchAtLogin })} /> : null}
          </Panel>
          <Panel title="Appearance">
            <ThemeSetting value={s.theme} onChange={(theme) => save({ theme })} />
          </Panel>
          <Panel title="Client tokens" className="span-all">
            <Switch label="Require a client token on the OpenAI, Responses and Anthropic routes" checked={s.requireClientToken} onChange={(requireClientToken) => save({ requireClientToken })} />
            {!s.requireClientToken ? <p className="notice notice-warn">Any program on this machine can use your providers' keys through Switchboard while this is off.</p> : null}
            <ClientTokens />
          </Panel>
          <Panel title="History">
            <Switch label="Capture request and response bodies" checked={s.recordBodies} onChange={(recordBodies) => save({ recordBodies })} />
            <p className="muted small">Bodies make the history searchable and allow “copy as curl”; they can hold private prompts. Secrets are always redacted.</p>
            <NumberSetting label="Keep history for" unit="days" value={s.historyRetentionDays} min={1} max={3650} onCommit={(historyRetentionDays) => save({ historyRetentionDays })} />
          </Panel>
          <Panel title="Limits">
            <div className="grid-2 tight">
              <NumberSetting label="Connect timeout" unit="s" scale={1000} value={s.timeouts.connectMs} min={1} onCommit={(connectMs) => save({ timeouts: { connectMs } })} />
              <NumberSetting label="First byte timeout" unit="s" scale={1000} value={s.timeouts.firstByteMs} min={1} onCommit={(firstByteMs) => save({ timeouts: { firstByteMs } })} />
              <NumberSetting label="Idle timeout (between chunks)" unit="s" scale={1000} value={s.timeouts.idleMs} min={1} onCommit={(idleMs) => save({ timeouts: { idleMs } })} />
              <NumberSetting label="Total timeout" unit="s" scale={1000} value={s.timeouts.totalMs} min={1} onCommit={(totalMs) => save({ timeouts: { totalMs } })} />
              <NumberSetting label="Request body limit" unit="MB" scale={1024 * 1024} value={s.bodyLimitBytes} min={0.001} onCommit={(bodyLimitBytes) => save({ bodyLimitBytes })} />
            </div>
          </Panel>
        </div>
      )}
    </>
  );
}
