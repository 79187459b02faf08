import { useState, type FormEvent } from 'react';
import type { ProviderInfo, ProviderKindInfo } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useControlMutation } from '../../hooks/use-control';
import { issueAt, unplacedError } from '../../lib/field-issues';
import { KeyExtraFields } from './KeyExtraFields';
import { KeyInput } from './KeyInput';
import { OAuthAccountFields, type AccountInput } from './OAuthAccountFields';

type Kind = 'key' | 'oauth2';
const PLACED = ['proxy', 'label', 'oauth2.tokenUrl', 'oauth2.clientId', 'oauth2.clientSecret', 'oauth2.refreshToken', 'oauth2.scopes'];

/**
 * Adds a key to a provider: its API key (or the kind's own key form: AWS parts, a JSON key file)
 * or an OAuth account, with a label and, optionally, an outbound proxy of its own.
 */
export function AddKeyForm({ provider, kind }: { provider: ProviderInfo; kind?: ProviderKindInfo }) {
  const [type, setType] = useState<Kind>('key');
  const [secret, setSecret] = useState('');
  const [account, setAccount] = useState<AccountInput | null>(null);
  const [label, setLabel] = useState('');
  const [proxy, setProxy] = useState('');
  // A new, empty form after each added key (the inputs hold no secret afterwards).
  const [round, setRound] = useState(0);
  const addKey = useControlMutation('addKey');
  const ready = type === 'key' ? secret.trim() !== '' : account !== null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const material = type === 'key' ? { secret: secret.trim() } : { oauth2: account! };
    const fallback = type === 'key' ? `key ${provider.keys.length + 1}` : `account ${provider.keys.length + 1}`;
    addKey.mutate(
      { providerId: provider.id, ...material, label: label.trim() || fallback, ...(proxy.trim() ? { proxy: proxy.trim() } : {}) },
      { onSuccess: () => { setSecret(''); setAccount(null); setLabel(''); setProxy(''); setRound((value) => value + 1); } },
    );
  };
  const proxyProblem = issueAt(addKey.error, 'proxy');
  return (
    <form className="add-key" onSubmit={submit} aria-label={`Add a key to ${provider.name}`}>
      {/* AWS keys are signed, never bearer tokens: no OAuth account there. */}
      {kind?.keyForm?.type === 'parts' ? null : (
        <div className="segmented" role="radiogroup" aria-label="What to add">
          <button type="button" role="radio" aria-checked={type === 'key'} onClick={() => setType('key')}>{kind?.keyForm?.type === 'json-file' ? kind.keyForm.label : 'API key'}</button>
          <button type="button" role="radio" aria-checked={type === 'oauth2'} onClick={() => setType('oauth2')}>OAuth account</button>
        </div>
      )}
      {type === 'key'
        ? <KeyInput key={round} form={kind?.keyForm} label={`New key for ${provider.name}`} required onChange={setSecret} />
        : <OAuthAccountFields key={round} issue={(path) => issueAt(addKey.error, path)} onChange={setAccount} />}
      <KeyExtraFields label={label} proxy={proxy} labelPlaceholder={type === 'key' ? 'work key' : 'team account'} proxyProblem={proxyProblem} onLabel={setLabel} onProxy={setProxy} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={addKey.isPending || !ready}>{type === 'key' ? 'Add key' : 'Add OAuth account'}</button>
      </div>
      <ErrorNotice error={unplacedError(addKey.error, PLACED)} />
    </form>
  );
}
