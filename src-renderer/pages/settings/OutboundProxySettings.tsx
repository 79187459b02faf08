import { useState, type FormEvent } from 'react';
import type { Settings, SettingsPatch } from '../../../src-proxy/control/contract.ts';
import { Field } from '../../components/Field';
import { Panel } from '../../components/Panel';
import { Switch } from '../../components/Switch';
import { ProxyCaSetting } from './ProxyCaSetting';

type ProxyEntry = Settings['proxies'][number];

const SYSTEM_CHOICES = [
  { value: 'default', label: 'Default (on in the desktop app, off for serve)' },
  { value: 'on', label: 'On' },
  { value: 'off', label: 'Off' },
] as const;

/**
 * Settings → Proxies: the proxies providers name in their proxy pool (URLs come masked and a
 * masked one saved back keeps its password), and whether HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply.
 */
/** A refusal (a bad URL, a proxy a pool still names) shows at the top of the Settings page. */
export function OutboundProxySettings({ settings, save }: { settings: Settings; save: (patch: SettingsPatch) => void }) {
  const [id, setId] = useState('');
  const [url, setUrl] = useState('');
  const proxies = settings.proxies;
  const put = (next: ProxyEntry[]) => save({ proxies: next });
  const add = (event: FormEvent) => {
    event.preventDefault();
    put([...proxies, { id: id.trim(), url: url.trim(), enabled: true }]);
    setId('');
    setUrl('');
  };
  const system = settings.useSystemProxy === null ? 'default' : settings.useSystemProxy ? 'on' : 'off';
  return (
    <Panel title="Proxies" className="span-all">
      <Field label="System proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)" hint="For providers without a proxy of their own, their keys' or a pool's.">
        {(fieldId, hintId) => (
          <select id={fieldId} aria-describedby={hintId} value={system}
            onChange={(event) => save({ useSystemProxy: event.target.value === 'default' ? null : event.target.value === 'on' })}>
            {SYSTEM_CHOICES.map((choice) => <option key={choice.value} value={choice.value}>{choice.label}</option>)}
          </select>
        )}
      </Field>
      <p className="muted small">Proxies listed here are used in turn by providers that name them in their proxy pool (Providers → Edit proxy → Proxy pool, or <code>proxyPool</code> in the config file). A proxy that cannot be reached rests and the next one is used. Passwords are stored encrypted and never shown again.</p>
      {proxies.length > 0 ? (
        <table className="table compact" aria-label="Proxies">
          <thead><tr><th>Id</th><th>URL</th><th>Enabled</th><th /></tr></thead>
          <tbody>
            {proxies.map((entry, index) => (
              <tr key={entry.id}>
                <td className="mono">{entry.id}</td>
                <td className="mono">{entry.url}</td>
                <td><Switch hideLabel label={`Use proxy ${entry.id}`} checked={entry.enabled} onChange={(enabled) => put(proxies.map((other, at) => (at === index ? { ...other, enabled } : other)))} /></td>
                <td><button type="button" className="button small ghost" onClick={() => put(proxies.filter((_, at) => at !== index))}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">No proxies yet.</p>}
      <form className="inline-form proxy-add" onSubmit={add}>
        <input aria-label="Proxy id" placeholder="office-1" value={id} onChange={(event) => setId(event.target.value)} required pattern="[a-z0-9][a-z0-9_\-]{0,62}" />
        <input aria-label="Proxy URL" className="mono" placeholder="http://user:password@proxy.corp:3128" value={url} onChange={(event) => setUrl(event.target.value)} required />
        <button type="submit" className="button">Add proxy</button>
      </form>
      <ProxyCaSetting saved={settings.proxyCa} />
    </Panel>
  );
}
