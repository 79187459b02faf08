import type { SettingsPatch } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { Switch } from '../../components/Switch';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { useRoute } from '../../hooks/use-route';
import { issueAt, unplacedError } from '../../lib/field-issues';
import { CacheSettings } from './CacheSettings';
import { DiagnosticsSettings } from './DiagnosticsSettings';
import { MetricsSettings } from './MetricsSettings';
import { NumberSetting } from './NumberSetting';
import { ProxySettings } from './ProxySettings';
import { OutboundProxySettings } from './OutboundProxySettings';
import { RedactFieldsSetting } from './RedactFieldsSetting';
import { ThemeSetting } from './ThemeSetting';

/** Settings shown as fields; the core's complaints about these paths appear next to them. */
const FIELD_PATHS = ['port', 'historyRetentionDays', 'redactFields', 'cache.maxMb', 'timeouts.connectMs', 'timeouts.firstByteMs', 'timeouts.idleMs', 'timeouts.totalMs', 'bodyLimitBytes'];

export function SettingsPage() {
  const settings = useControlQuery('getSettings');
  const update = useControlMutation('updateSettings');
  const [route] = useRoute();
  const save = (patch: SettingsPatch) => update.mutate(patch);
  const fieldError = (path: string) => issueAt(update.error, path);
  const s = settings.data;
  return (
    <>
      <PageHeader title="Settings" />
      <ErrorNotice error={settings.error ?? unplacedError(update.error, FIELD_PATHS)} />
      {!s ? <Loading /> : (
        <div className="settings">
          <ProxySettings settings={s} error={update.error} focusPort={route.detail === 'port'} save={save} />
          <Panel title="Appearance">
            <ThemeSetting value={s.theme} onChange={(theme) => save({ theme })} />
          </Panel>
          <Panel title="Client tokens" className="span-all">
            <Switch label="Require a client token on the OpenAI, Responses and Anthropic routes" checked={s.requireClientToken} onChange={(requireClientToken) => save({ requireClientToken })} />
            {!s.requireClientToken ? <p className="notice notice-warn">Any program on this machine can use your providers' keys through Switchboard while this is off.</p> : null}
            <p className="muted small">Client tokens — one per tool, with their expiry, allowed models, limits and budgets — live on the <a href="#/clients">Clients</a> page.</p>
          </Panel>
          <Panel title="History">
            <Switch label="Capture request and response bodies" checked={s.recordBodies} onChange={(recordBodies) => save({ recordBodies })} />
            <p className="muted small">Bodies make the history searchable and allow “copy as curl”; they can hold private prompts. Secrets are always redacted.</p>
            <RedactFieldsSetting value={s.redactFields} serverError={fieldError('redactFields')} onCommit={(redactFields) => save({ redactFields })} />
            <NumberSetting label="Keep history for" unit="days" integer value={s.historyRetentionDays} min={1} max={3650}
              serverError={fieldError('historyRetentionDays')} onCommit={(historyRetentionDays) => save({ historyRetentionDays })} />
          </Panel>
          <CacheSettings settings={s} error={update.error} save={save} />
          <MetricsSettings settings={s} save={save} />
          <OutboundProxySettings settings={s} save={save} />
          <DiagnosticsSettings />
          <Panel title="Limits">
            <div className="grid-2 tight">
              <NumberSetting label="Connect timeout" unit="s" scale={1000} value={s.timeouts.connectMs} min={0.001} serverError={fieldError('timeouts.connectMs')} onCommit={(connectMs) => save({ timeouts: { connectMs } })} />
              <NumberSetting label="First byte timeout" unit="s" scale={1000} value={s.timeouts.firstByteMs} min={0.001} serverError={fieldError('timeouts.firstByteMs')} onCommit={(firstByteMs) => save({ timeouts: { firstByteMs } })} />
              <NumberSetting label="Idle timeout (between chunks)" unit="s" scale={1000} value={s.timeouts.idleMs} min={0.001} serverError={fieldError('timeouts.idleMs')} onCommit={(idleMs) => save({ timeouts: { idleMs } })} />
              <NumberSetting label="Total timeout" unit="s" scale={1000} value={s.timeouts.totalMs} min={0.001} serverError={fieldError('timeouts.totalMs')} onCommit={(totalMs) => save({ timeouts: { totalMs } })} />
              <NumberSetting label="Request body limit" unit="MB" scale={1024 * 1024} value={s.bodyLimitBytes} min={0.001} serverError={fieldError('bodyLimitBytes')} onCommit={(bodyLimitBytes) => save({ bodyLimitBytes })} />
              <NumberSetting label="Pacing wait" unit="s" scale={1000} value={s.pacingMaxWaitMs} min={0} max={600}
                hint="How long a request may wait for a provider's pacing limits (Providers page) before 429 pacing_timeout."
                serverError={fieldError('pacingMaxWaitMs')} onCommit={(pacingMaxWaitMs) => save({ pacingMaxWaitMs })} />
            </div>
          </Panel>
        </div>
      )}
    </>
  );
}
