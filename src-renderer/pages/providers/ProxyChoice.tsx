import { useId } from 'react';
import { useControlClient } from '../../hooks/control-context';
import { useControlQuery } from '../../hooks/use-control';
import { Field } from '../../components/Field';
import { maskedUrlProblem, systemProxyOn, type ProxyMode, type ProxySetting } from './proxy-setting';

/**
 * "Outbound proxy" of a provider: none of its own (direct, or the system proxy when that is on),
 * one proxy URL (its password masked once saved), or a pool chosen from Settings → Proxies.
 * `errors` are the core's messages for `proxy` and `proxyPool`, shown at their fields.
 */
export function ProxyChoice({ value, saved, errors, onChange }: {
  value: ProxySetting;
  /** The masked URL the provider has now (what may be sent back to keep its password). */
  saved: string | null;
  errors: { proxy: string | null; proxyPool: string | null };
  onChange: (next: ProxySetting) => void;
}) {
  const { host } = useControlClient();
  const settings = useControlQuery('getSettings').data;
  const name = useId();
  const system = settings ? systemProxyOn(settings.useSystemProxy, host) : false;
  const proxies = settings?.proxies ?? [];
  const urlProblem = value.mode === 'url' ? (maskedUrlProblem(value.url, saved) ?? errors.proxy) : null;
  const choices: Array<{ mode: ProxyMode; label: string }> = [
    { mode: 'none', label: system ? 'System proxy' : 'None (direct)' },
    { mode: 'url', label: 'One proxy URL' },
    { mode: 'pool', label: 'Proxy pool' },
  ];
  const toggle = (id: string, on: boolean) => onChange({ ...value, pool: on ? [...value.pool, id] : value.pool.filter((other) => other !== id) });
  return (
    <fieldset className="proxy-choice">
      <legend>Outbound proxy</legend>
      <div className="segmented" role="radiogroup" aria-label="Outbound proxy">
        {choices.map((choice) => (
          <button key={choice.mode} type="button" role="radio" aria-checked={value.mode === choice.mode} onClick={() => onChange({ ...value, mode: choice.mode })}>{choice.label}</button>
        ))}
      </div>
      {value.mode === 'none' ? (
        <p className="hint">
          {system
            ? <>Calls use the system proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), which is on in <a href="#/settings">Settings → Proxies</a>.</>
            : <>Calls connect directly. The system proxy (HTTPS_PROXY…) is off in <a href="#/settings">Settings → Proxies</a>.</>}
        </p>
      ) : null}
      {value.mode === 'url' ? (
        <Field label="Proxy URL" hint="http://, https:// or socks5://, with user:password@ if it needs them. The password is stored encrypted and shown as ••• from then on.">
          {(fieldId, hintId) => (
            <>
              <input id={fieldId} aria-describedby={hintId} aria-invalid={urlProblem ? true : undefined} className="mono" autoComplete="off" spellCheck={false}
                placeholder="http://user:password@proxy.corp:3128" value={value.url} required onChange={(event) => onChange({ ...value, url: event.target.value })} />
              {urlProblem ? <div className="field-error" role="alert">{urlProblem}</div> : null}
            </>
          )}
        </Field>
      ) : null}
      {value.mode === 'pool' ? (
        proxies.length === 0 ? (
          <p className="hint">No proxies yet: add them in <a href="#/settings">Settings → Proxies</a>, then choose them here.</p>
        ) : (
          <div className="proxy-pool" role="group" aria-label="Proxies of the pool" aria-describedby={`${name}-pool-hint`}>
            {proxies.map((entry) => (
              <label key={entry.id} className="check-label">
                <input type="checkbox" checked={value.pool.includes(entry.id)} onChange={(event) => toggle(entry.id, event.target.checked)} />
                <span className="mono">{entry.id}</span>
                <span className="muted mono small">{entry.url}</span>
                {entry.enabled ? null : <span className="pill pill-warn">off</span>}
              </label>
            ))}
            <div id={`${name}-pool-hint`} className="hint">Used in turn; a proxy that cannot be reached rests and the next one is used.</div>
            {errors.proxyPool ? <div className="field-error" role="alert">{errors.proxyPool}</div> : null}
          </div>
        )
      ) : null}
    </fieldset>
  );
}

/** Whether the setting can be sent as it is. */
export function proxySettingReady(value: ProxySetting, saved: string | null): boolean {
  if (value.mode === 'url') return value.url.trim() !== '' && maskedUrlProblem(value.url, saved) === null;
  if (value.mode === 'pool') return value.pool.length > 0;
  return true;
}
