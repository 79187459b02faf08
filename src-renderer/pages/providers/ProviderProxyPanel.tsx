import { useState, type FormEvent } from 'react';
import type { ProviderInfo } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useControlClient } from '../../hooks/control-context';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { issueAt, unplacedError } from '../../lib/field-issues';
import { ProxyChoice, proxySettingReady } from './ProxyChoice';
import { proxyPatchOf, proxySettingOf, systemProxyOn } from './proxy-setting';

/** What a provider's calls go through now, in one line. */
function describeProxy(provider: ProviderInfo, system: boolean): string {
  if (provider.proxy) return `via ${provider.proxy}`;
  if (provider.proxyPool.length > 0) return `via the pool ${provider.proxyPool.join(', ')}`;
  return system ? 'via the system proxy' : 'direct';
}

/** A provider's outbound proxy: shown in one line, edited in place (a saved password stays masked and kept). */
export function ProviderProxyPanel({ provider }: { provider: ProviderInfo }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(() => proxySettingOf(provider));
  const update = useControlMutation('updateProvider');
  const { host } = useControlClient();
  const settings = useControlQuery('getSettings').data;
  const system = settings ? systemProxyOn(settings.useSystemProxy, host) : false;
  const keysWithProxy = provider.keys.filter((key) => key.proxy !== null).length;
  const open = () => {
    setValue(proxySettingOf(provider));
    update.reset();
    setEditing(true);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: provider.id, ...proxyPatchOf(value) }, { onSuccess: () => setEditing(false) });
  };
  return (
    <div className="provider-proxy">
      <div className="fact">
        <span className="muted">Outbound proxy:</span>
        <span className="mono" data-testid={`proxy-of-${provider.id}`}>{describeProxy(provider, system)}</span>
        {keysWithProxy > 0 ? <span className="muted small">({keysWithProxy === 1 ? '1 key uses its own' : `${keysWithProxy} keys use their own`})</span> : null}
        {editing ? null : <button type="button" className="button small ghost" onClick={open}>Edit proxy</button>}
      </div>
      {editing ? (
        <form className="form" onSubmit={submit}>
          <ProxyChoice value={value} saved={provider.proxy} onChange={setValue}
            errors={{ proxy: issueAt(update.error, 'proxy'), proxyPool: issueAt(update.error, 'proxyPool') }} />
          <ErrorNotice error={unplacedError(update.error, ['proxy', 'proxyPool'])} />
          <div className="form-actions">
            <button type="button" className="button ghost" onClick={() => setEditing(false)}>Cancel</button>
            <button type="submit" className="button primary" disabled={update.isPending || !proxySettingReady(value, provider.proxy)}>Save proxy</button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
