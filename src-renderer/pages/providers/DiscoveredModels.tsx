import { useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';

/** The models the provider lists, refreshable. */
export function DiscoveredModels({ providerId }: { providerId: string }) {
  const models = useControlQuery('listModels');
  const refresh = useControlMutation('refreshModels');
  const [open, setOpen] = useState(false);
  const mine = (models.data ?? []).filter((model) => model.providerId === providerId);
  return (
    <div className="discovered">
      <button type="button" className="button ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
        {mine.length} discovered model{mine.length === 1 ? '' : 's'} {open ? '▴' : '▾'}
      </button>
      <button type="button" className="button ghost" onClick={() => refresh.mutate({ providerId })} disabled={refresh.isPending}>
        {refresh.isPending ? 'Refreshing…' : 'Refresh'}
      </button>
      <ErrorNotice error={refresh.error ?? models.error} />
      {open ? (
        mine.length === 0 ? (
          <p className="muted small">No models listed yet. Add a key and press Refresh.</p>
        ) : (
          <ul className="chips">{mine.map((model) => <li key={model.address} className="chip mono">{model.model}</li>)}</ul>
        )
      ) : null}
    </div>
  );
}
