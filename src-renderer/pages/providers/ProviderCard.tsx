import type { ProviderInfo, ProviderPacingState } from '../../../src-proxy/control/contract.ts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Switch } from '../../components/Switch';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { DiscoveredModels } from './DiscoveredModels';
import { KeyList } from './KeyList';
import { PacingPanel } from './PacingPanel';
import { ProviderProtocol } from './ProviderProtocol';
import { ProviderProxyPanel } from './ProviderProxyPanel';
import { kindLabel } from './presets';
import { TestProvider } from './TestProvider';

/** One provider: its switch, keys, pacing, test and discovered models. */
export function ProviderCard({ provider, pacing }: { provider: ProviderInfo; pacing?: ProviderPacingState }) {
  const update = useControlMutation('updateProvider');
  const remove = useControlMutation('deleteProvider');
  const kinds = useControlQuery('listProviderKinds');
  const setEnabled = (enabled: boolean) => update.mutate({ id: provider.id, enabled });
  return (
    <article className="panel provider" aria-labelledby={`provider-${provider.id}`}>
      <div className="panel-head">
        <div>
          <h2 id={`provider-${provider.id}`}>{provider.name} <span className="tag">{kindLabel(kinds.data, provider.kind)}</span></h2>
          <div className="muted small mono">{provider.id} · {provider.baseUrl}</div>
        </div>
        <div className="panel-actions">
          <Switch label={`${provider.name} enabled`} hideLabel checked={provider.enabled} onChange={setEnabled} />
          <ConfirmButton label="Delete" ariaLabel={`Delete provider ${provider.name}`} title={`Delete ${provider.name}?`} actionLabel="Delete provider"
            description={<>Its keys and discovered models go too; aliases that point at <code>{provider.id}</code> stop resolving there.</>}
            onConfirm={() => remove.mutate({ id: provider.id })} />
        </div>
      </div>
      {provider.lastError ? <p className="notice notice-warn">Last error: {provider.lastError}</p> : null}
      <ErrorNotice error={update.error ?? remove.error} />
      <ProviderProxyPanel provider={provider} />
      <ProviderProtocol provider={provider} />
      <KeyList provider={provider} />
      <PacingPanel provider={provider} state={pacing} />
      <div className="provider-foot">
        <TestProvider providerId={provider.id} />
        <DiscoveredModels providerId={provider.id} />
      </div>
    </article>
  );
}
