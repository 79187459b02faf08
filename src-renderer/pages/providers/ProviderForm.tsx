import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { useControlMutation } from '../../hooks/use-control';
import { issueAt, unplacedError } from '../../lib/field-issues';
import { KeyExtraFields } from './KeyExtraFields';
import { KeyInput } from './KeyInput';
import { OAuthAccountFields, type AccountInput } from './OAuthAccountFields';
import { ProxyChoice, proxySettingReady } from './ProxyChoice';
import { proxyInputOf, proxySettingOf } from './proxy-setting';
import { compactOptions, OptionFields, type OptionValues } from './OptionFields';
import { suggestProviderId, type KindPreset } from './presets';

const FIRST_KEY_FIELDS = ['proxy', 'label', 'oauth2.tokenUrl', 'oauth2.clientId', 'oauth2.clientSecret', 'oauth2.refreshToken', 'oauth2.scopes'];

/** Creates a provider from a preset and, when given, its first key; the kind's own options come from its description. */
export function ProviderForm({ preset, taken, onDone, onBack }: { preset: KindPreset; taken: string[]; onDone: () => void; onBack: () => void }) {
  const [id, setId] = useState(() => suggestProviderId(preset.id, taken));
  const [name, setName] = useState(preset.name);
  const [baseUrl, setBaseUrl] = useState(preset.baseUrl);
  const [options, setOptions] = useState<OptionValues>(() => ({ ...preset.options }));
  const [secret, setSecret] = useState('');
  // The first key: the kind's own form, or an OAuth account (Vertex takes either).
  const [keyType, setKeyType] = useState<'key' | 'oauth2'>('key');
  const [account, setAccount] = useState<AccountInput | null>(null);
  const [proxy, setProxy] = useState(() => proxySettingOf());
  const [keyLabel, setKeyLabel] = useState('');
  const [keyProxy, setKeyProxy] = useState('');
  const create = useControlMutation('createProvider');
  const addKey = useControlMutation('addKey');
  const created = create.data?.id === id;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = compactOptions(options);
    // A key refused after the provider was created (its proxy URL, say) is added on the next submit alone.
    if (!created) await create.mutateAsync({ id, kind: preset.kind.kind, name, baseUrl, enabled: true, ...(Object.keys(chosen).length > 0 ? { options: chosen } : {}), ...proxyInputOf(proxy) });
    const extras = { ...(keyProxy.trim() ? { proxy: keyProxy.trim() } : {}) };
    if (keyType === 'oauth2' && account) await addKey.mutateAsync({ providerId: id, oauth2: account, label: keyLabel.trim() || 'account 1', ...extras });
    else if (keyType === 'key' && secret.trim()) await addKey.mutateAsync({ providerId: id, secret: secret.trim(), label: keyLabel.trim() || 'key 1', ...extras });
    setSecret('');
    onDone();
  };

  return (
    <form className="form" onSubmit={(event) => void submit(event).catch(() => undefined /* shown by ErrorNotice */)}>
      {preset.note ? <p className="notice">{preset.note}</p> : null}
      <Field label="Name">{(fieldId) => <input id={fieldId} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
      <Field label="Provider id" hint={<>Used in addresses like <code>{id || 'id'}/model-name</code>.</>}>
        {(fieldId, hintId) => <input id={fieldId} aria-describedby={hintId} value={id} onChange={(e) => setId(e.target.value)} required pattern="[a-z0-9][a-z0-9_\-]{0,62}" />}
      </Field>
      <Field label="Base URL">{(fieldId) => <input id={fieldId} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} required type="url" className="mono" />}</Field>
      <OptionFields fields={preset.kind.options} values={options} onChange={setOptions} />
      <ProxyChoice value={proxy} saved={null} errors={{ proxy: issueAt(create.error, 'proxy'), proxyPool: issueAt(create.error, 'proxyPool') }} onChange={setProxy} />
      <p className="muted small key-hint">
        {preset.keyHint}.{' '}
        <a href={preset.keyUrl} target="_blank" rel="noreferrer">
          {preset.needsKey ? 'Where to get a key' : 'Setup guide'}
        </a>
      </p>
      {preset.kind.keyForm?.type === 'parts' ? null : (
        <div className="segmented" role="radiogroup" aria-label="Key type of the first key">
          <button type="button" role="radio" aria-checked={keyType === 'key'} onClick={() => setKeyType('key')}>{preset.kind.keyForm?.type === 'json-file' ? preset.kind.keyForm.label : 'API key'}</button>
          <button type="button" role="radio" aria-checked={keyType === 'oauth2'} onClick={() => setKeyType('oauth2')}>OAuth account</button>
        </div>
      )}
      {keyType === 'key'
        ? <KeyInput form={preset.kind.keyForm} label={preset.needsKey ? 'API key' : 'API key (optional)'} required={preset.needsKey} onChange={setSecret} />
        : <OAuthAccountFields issue={(path) => issueAt(addKey.error, path)} onChange={setAccount} />}
      {keyType === 'oauth2' || secret.trim() ? (
        <KeyExtraFields label={keyLabel} proxy={keyProxy} labelPlaceholder={keyType === 'key' ? 'key 1' : 'account 1'} proxyProblem={issueAt(addKey.error, 'proxy')} onLabel={setKeyLabel} onProxy={setKeyProxy} />
      ) : null}
      {created && addKey.error ? <p className="notice" role="status">The provider <code>{id}</code> was added without its key: fix the key and add it.</p> : null}
      <ErrorNotice error={unplacedError(create.error, ['proxy', 'proxyPool']) ?? unplacedError(addKey.error, FIRST_KEY_FIELDS)} />
      <div className="form-actions">
        <button type="button" className="button ghost" onClick={onBack}>Back</button>
        <button type="submit" className="button primary" disabled={create.isPending || addKey.isPending || (preset.needsKey && (keyType === 'key' ? secret === '' : account === null)) || !proxySettingReady(proxy, null)}>{created ? 'Add the key' : 'Add provider'}</button>
      </div>
    </form>
  );
}
