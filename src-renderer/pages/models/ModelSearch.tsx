import { useDeferredValue, useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { Panel } from '../../components/Panel';
import { useControlQuery } from '../../hooks/use-control';

const SHOWN = 50;

/** Searches every provider's discovered models; "Create alias" starts an alias from one. */
export function ModelSearch({ onCreate }: { onCreate: (providerId: string, model: string) => void }) {
  const models = useControlQuery('listModels');
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query.trim().toLowerCase());
  const matches = useMemo(() => (models.data ?? []).filter((model) => model.address.toLowerCase().includes(deferred)), [models.data, deferred]);
  return (
    <Panel title="Discovered models" actions={<input type="search" aria-label="Search discovered models" placeholder="Search models…" value={query} onChange={(e) => setQuery(e.target.value)} />}>
      {models.data?.length === 0 ? (
        <EmptyState title="No models discovered" action={<a className="button" href="#/providers">Go to Providers</a>}>
          Models appear here after a provider with a working key is added (or refreshed).
        </EmptyState>
      ) : (
        <>
          <ul className="model-results">
            {matches.slice(0, SHOWN).map((model) => (
              <li key={model.address}>
                <span className="mono">{model.address}</span>
                {model.metadata.contextWindow ? <span className="muted small">{Math.round(model.metadata.contextWindow / 1000)}k ctx</span> : <span />}
                <button type="button" className="button small" onClick={() => onCreate(model.providerId, model.model)}>Create alias</button>
              </li>
            ))}
          </ul>
          {matches.length > SHOWN ? <p className="muted small">{matches.length - SHOWN} more — refine the search.</p> : null}
        </>
      )}
    </Panel>
  );
}
