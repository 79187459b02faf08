import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { useControlMutation } from '../../hooks/use-control';
import { KeyInput } from './KeyInput';
import { compactOptions, OptionFields, type OptionValues } from './OptionFields';
import { suggestProviderId, type KindPreset } from './presets';

/** Creates a provider from a preset and, when given, its first key; the kind's own options come from its description. */
export function ProviderForm({ preset, taken, onDone, onBack }: { preset: KindPreset; taken: string[]; onDone: () => void; onBack: () => void }) {
  const [id, setId] = useState(() => suggestProviderId(preset.id, taken));
  const [name, setName] = useState(preset.name);
  const [baseUrl, setBaseUrl] = useState(preset.baseUrl);
  const [options, setOptions] = useState<OptionValues>(() => ({ ...preset.options }));
  const [secret, setSecret] = useState('');
  const create = useControlMutation('createProvider');
  const addKey = useControlMutation('addKey');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = compactOptions(options);
    await create.mutateAsync({ id, kind: preset.kind.kind, name, baseUrl, enabled: true, ...(Object.keys(chosen).length > 0 ? { options: chosen } : {}) });
    if (secret.trim()) await addKey.mutateAsync({ providerId: id, secret: secret.trim(), label: 'key 1' });
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
      <p className="muted small key-hint">
        {preset.keyHint}.{' '}
        <a href={preset.keyUrl} target="_blank" rel="noreferrer">
          {preset.needsKey ? 'Where to get a key' : 'Setup guide'}
        </a>
      </p>
      <KeyInput form={preset.kind.keyForm} label={preset.needsKey ? 'API key' : 'API key (optional)'} required={preset.needsKey} onChange={setSecret} />
      <ErrorNotice error={create.error ?? addKey.error} />
      <div className="form-actions">
        <button type="button" className="button ghost" onClick={onBack}>Back</button>
        <button type="submit" className="button primary" disabled={create.isPending || addKey.isPending || (preset.needsKey && secret === '')}>Add provider</button>
      </div>
    </form>
  );
}
