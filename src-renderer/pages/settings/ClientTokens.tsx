import { useState, type FormEvent } from 'react';
import type { CreatedClientToken } from '../../../src-proxy/control/contract.ts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { useSessionTokens } from '../../hooks/session-tokens';
import { formatRelative } from '../../lib/format';

/** Create (shown once), list with last use, and revoke client tokens. */
export function ClientTokens() {
  const tokens = useControlQuery('listClientTokens');
  const create = useControlMutation('createClientToken');
  const revoke = useControlMutation('revokeClientToken');
  const { remember } = useSessionTokens();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedClientToken | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() }, {
      onSuccess: (token) => {
        remember(token.id, token.name, token.token);
        setCreated(token);
        setName('');
      },
    });
  };
  const active = (tokens.data ?? []).filter((token) => token.revokedAt === null);
  const revoked = (tokens.data ?? []).filter((token) => token.revokedAt !== null);
  return (
    <div className="client-tokens">
      <form className="inline-form" onSubmit={submit}>
        <input aria-label="Token name" placeholder="Name, e.g. the tool that will use it" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        <button type="submit" className="button primary" disabled={create.isPending}>Create token</button>
      </form>
      {created ? (
        <div className="notice notice-ok created-token" role="status">
          <div>Token for <strong>{created.name}</strong> — copy it now, it is not shown again:</div>
          <div className="inline-form"><code className="secret">{created.token}</code><CopyButton text={created.token} className="button small" /></div>
        </div>
      ) : null}
      <ErrorNotice error={tokens.error ?? create.error ?? revoke.error} />
      {active.length === 0 ? <p className="muted small">No tokens yet. Create one per tool, so each shows by name in the history and can be revoked alone.</p> : (
        <table className="table compact">
          <thead><tr><th>Name</th><th>Token</th><th>Created</th><th>Last used</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {active.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td className="mono nowrap">{token.hint}</td>
                <td className="muted nowrap">{formatRelative(token.createdAt)}</td>
                <td className="muted nowrap">{formatRelative(token.lastUsedAt)}</td>
                <td className="actions"><ConfirmButton small label="Revoke" ariaLabel={`Revoke ${token.name}`} title={`Revoke ${token.name}?`} actionLabel="Revoke token"
                  description="Tools using this token are refused (401) from the next request on. This cannot be undone." onConfirm={() => revoke.mutate({ id: token.id })} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoked.length > 0 ? <p className="muted small">{revoked.length} revoked token{revoked.length === 1 ? '' : 's'}: {revoked.map((token) => token.name).join(', ')}</p> : null}
    </div>
  );
}
