import { useState, type FormEvent } from 'react';
import type { CreatedClientToken } from '../../../src-proxy/control/contract.ts';
import { CopyButton } from '../../components/CopyButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { useSessionTokens } from '../../hooks/session-tokens';
import { ClientCard } from './ClientCard';
import { ClientEditor } from './ClientEditor';
import { LaneCard } from './LaneCard';

/** Client tokens as virtual keys: one per tool, each with its rules, limits and spend. */
export function ClientsPage() {
  const overview = useControlQuery('listClients', undefined, { refetchInterval: 15_000 });
  const create = useControlMutation('createClientToken');
  const { remember } = useSessionTokens();
  const [name, setName] = useState('');
  const [shown, setShown] = useState<CreatedClientToken | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const showToken = (token: CreatedClientToken) => {
    remember(token.id, token.name, token.token);
    setShown(token);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() }, {
      onSuccess: (token) => {
        showToken(token);
        setName('');
        setEditing(token.id);
      },
    });
  };
  const clients = overview.data?.clients ?? [];
  const editingClient = clients.find((client) => client.id === editing) ?? null;
  return (
    <>
      <PageHeader title="Clients" description="A client token per tool: it shows by name in the history, and may get an expiry, allowed models, rate limits and budgets." />
      <form className="inline-form" onSubmit={submit}>
        <input aria-label="New client name" placeholder="Name, e.g. the tool that will use it" value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
        <button type="submit" className="button primary" disabled={create.isPending}>Create client</button>
      </form>
      {shown ? (
        <div className="notice notice-ok created-token" role="status">
          <div>Token for <strong>{shown.name}</strong> — copy it now, it is not shown again:</div>
          <div className="inline-form"><code className="secret">{shown.token}</code><CopyButton text={shown.token} className="button small" /></div>
        </div>
      ) : null}
      <ErrorNotice error={overview.error ?? create.error} />
      {!overview.data ? <Loading /> : (
        <div className="clients">
          {clients.length === 0 ? (
            <EmptyState title="No clients yet">Create one per tool, so each shows by name in the history, can be limited and can be revoked alone.</EmptyState>
          ) : clients.map((client) => <ClientCard key={client.id} client={client} onEdit={() => setEditing(client.id)} onTokenShown={showToken} />)}
          <LaneCard lane={overview.data.lane} />
        </div>
      )}
      {editingClient ? <ClientEditor client={editingClient} onClose={() => setEditing(null)} /> : null}
    </>
  );
}
