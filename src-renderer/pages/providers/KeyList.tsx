import type { ProviderInfo } from '../../../src-proxy/control/contract.ts';
import { useControlQuery } from '../../hooks/use-control';
import { AddKeyForm } from './AddKeyForm';
import { KeyRow } from './KeyRow';

/** The keys and OAuth accounts of one provider (masked, with their proxy and state) and a form to add another. */
export function KeyList({ provider }: { provider: ProviderInfo }) {
  const kind = useControlQuery('listProviderKinds').data?.find((entry) => entry.kind === provider.kind);
  const keyOptional = kind?.keyOptional === true;
  return (
    <div className="keys">
      <h3>Keys</h3>
      {provider.keys.length === 0 ? (
        <p className="muted small">{keyOptional ? 'This provider works without a key.' : 'No key yet: add one below so requests can reach this provider.'}</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact" aria-label={`Keys of ${provider.name}`}>
            <thead><tr><th>Label</th><th>Key</th><th>Enabled</th><th>Last used</th><th>State</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>{provider.keys.map((key) => <KeyRow key={key.id} keyInfo={key} />)}</tbody>
          </table>
        </div>
      )}
      <AddKeyForm provider={provider} kind={kind} />
    </div>
  );
}
