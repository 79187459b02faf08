import { useState, type FormEvent } from 'react';
import type { ProviderInfo } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { KeyInput } from './KeyInput';
import { KeyRow } from './KeyRow';

/** The keys of one provider (masked) and a field to add another. */
export function KeyList({ provider }: { provider: ProviderInfo }) {
  const [secret, setSecret] = useState('');
  const [label, setLabel] = useState('');
  const addKey = useControlMutation('addKey');
  const kind = useControlQuery('listProviderKinds').data?.find((entry) => entry.kind === provider.kind);
  const keyOptional = kind?.keyOptional === true;
  // A kind with its own key form (cloud credentials) gets it; a new form after each added key.
  const [formRound, setFormRound] = useState(0);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    addKey.mutate(
      { providerId: provider.id, secret: secret.trim(), label: label.trim() || `key ${provider.keys.length + 1}` },
      { onSuccess: () => { setSecret(''); setLabel(''); setFormRound((round) => round + 1); } },
    );
  };
  return (
    <div className="keys">
      <h3>Keys</h3>
      {provider.keys.length === 0 ? (
        <p className="muted small">{keyOptional ? 'This provider works without a key.' : 'No key yet: add one below so requests can reach this provider.'}</p>
      ) : (
        <table className="table compact">
          <thead><tr><th>Label</th><th>Key</th><th>Enabled</th><th>Last used</th><th>State</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>{provider.keys.map((key) => <KeyRow key={key.id} keyInfo={key} />)}</tbody>
        </table>
      )}
      {kind?.keyForm ? (
        <form className="form" onSubmit={submit}>
          <KeyInput key={formRound} form={kind.keyForm} label={`New key for ${provider.name}`} required onChange={setSecret} />
          <input aria-label="Label" placeholder="Label (optional)" value={label} onChange={(e) => setLabel(e.target.value)} />
          <button type="submit" className="button" disabled={addKey.isPending || secret === ''}>Add key</button>
        </form>
      ) : (
      <form className="inline-form" onSubmit={submit}>
        <input aria-label={`New key for ${provider.name}`} type="password" autoComplete="off" placeholder="Paste an API key" value={secret} onChange={(e) => setSecret(e.target.value)} required className="mono" />
        <input aria-label="Label" placeholder="Label (optional)" value={label} onChange={(e) => setLabel(e.target.value)} />
        <button type="submit" className="button" disabled={addKey.isPending}>Add key</button>
      </form>
      )}
      <ErrorNotice error={addKey.error} />
    </div>
  );
}
