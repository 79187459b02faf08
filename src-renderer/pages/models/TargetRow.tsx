import { useId, useState } from 'react';
import type { AliasTarget, DiscoveredModel, ProviderInfo } from '../../../src-proxy/control/contract.ts';
import { OverridesFields } from './OverridesFields';

/** One target: provider, upstream model (suggested from discovered models), overrides. */
export function TargetRow({ target, providers, models, onChange }: {
  target: AliasTarget;
  providers: ProviderInfo[];
  models: DiscoveredModel[];
  onChange: (target: AliasTarget) => void;
}) {
  const listId = useId();
  const [showOverrides, setShowOverrides] = useState(Object.keys(target.overrides ?? {}).length > 0);
  const suggestions = models.filter((model) => model.providerId === target.provider);
  return (
    <div className="target-body">
      <div className="inline-form">
        <select aria-label="Provider" value={target.provider} onChange={(e) => onChange({ ...target, provider: e.target.value })}>
          {providers.some((p) => p.id === target.provider) ? null : <option value={target.provider}>{target.provider || 'Choose a provider'}</option>}
          {providers.map((provider) => <option key={provider.id} value={provider.id}>{provider.name}</option>)}
        </select>
        <input aria-label="Upstream model" className="mono" list={listId} placeholder="model name at the provider" value={target.model} required
          onChange={(e) => onChange({ ...target, model: e.target.value })} />
        <datalist id={listId}>{suggestions.map((model) => <option key={model.address} value={model.model} />)}</datalist>
        <button type="button" className="button small ghost" aria-expanded={showOverrides} onClick={() => setShowOverrides(!showOverrides)}>Overrides</button>
      </div>
      {showOverrides ? <OverridesFields overrides={target.overrides ?? {}} onChange={(overrides) => onChange({ ...target, overrides })} /> : null}
    </div>
  );
}
