import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useControlQuery } from '../../hooks/use-control';
import { AddProviderDialog } from './AddProviderDialog';
import { ProviderCard } from './ProviderCard';

export function ProvidersPage() {
  // Key states move by themselves (a rest ends, an account's token is refreshed): read them again now and then.
  const providers = useControlQuery('listProviders', undefined, { refetchInterval: 5_000 });
  // The pacing queues move by the second; only paced providers that took a call are listed.
  const pacing = useControlQuery('providerPacing', undefined, { refetchInterval: 5_000 });
  const [adding, setAdding] = useState(false);
  const add = <button type="button" className="button primary" onClick={() => setAdding(true)}>Add provider</button>;
  return (
    <>
      <PageHeader title="Providers" description="The services Switchboard forwards to, with your keys (stored encrypted, never shown again)." actions={add} />
      <ErrorNotice error={providers.error} />
      {providers.isPending ? <Loading /> : null}
      {providers.data?.length === 0 ? (
        <EmptyState title="No providers yet" action={add}>
          Add the first one: pick OpenAI, Anthropic, OpenRouter, a local Ollama or any OpenAI-compatible server, then paste its API key.
        </EmptyState>
      ) : null}
      <div className="stack">
        {providers.data?.map((provider) => <ProviderCard key={provider.id} provider={provider} pacing={pacing.data?.find((state) => state.provider === provider.id)} />)}
      </div>
      {adding ? <AddProviderDialog taken={providers.data?.map((p) => p.id) ?? []} onClose={() => setAdding(false)} /> : null}
    </>
  );
}
