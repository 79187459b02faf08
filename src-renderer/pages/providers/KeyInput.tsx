import { useEffect, useState, type ChangeEvent } from 'react';
import type { KeyForm } from '../../../src-proxy/control/contract.ts';
import { Field } from '../../components/Field';

type PartsForm = Extract<KeyForm, { type: 'parts' }>;
type JsonFileForm = Extract<KeyForm, { type: 'json-file' }>;

/**
 * The key of a provider as one secret string. Kinds whose key is made of parts (AWS) or is a
 * JSON key file (Google) describe that form (`keyForm`); every input is write-only: a password
 * field, or a file read into memory, summarised but never shown back.
 */
export function KeyInput({ form, label, required, onChange }: { form?: KeyForm; label: string; required: boolean; onChange: (secret: string) => void }) {
  if (form?.type === 'parts') return <PartsInput form={form} required={required} onChange={onChange} />;
  if (form?.type === 'json-file') return <JsonFileInput form={form} required={required} onChange={onChange} />;
  return <PlainInput label={label} required={required} onChange={onChange} />;
}

function PlainInput({ label, required, onChange }: { label: string; required: boolean; onChange: (secret: string) => void }) {
  return (
    <Field label={label} hint="Stored encrypted; afterwards only its last characters are shown.">
      {(fieldId, hintId) => <input id={fieldId} aria-describedby={hintId} type="password" autoComplete="off" required={required} className="mono" onChange={(e) => onChange(e.target.value.trim())} />}
    </Field>
  );
}

function PartsInput({ form, required, onChange }: { form: PartsForm; required: boolean; onChange: (secret: string) => void }) {
  const [choice, setChoice] = useState(form.choices[0]!.id);
  const [values, setValues] = useState<Record<string, string>>({});
  const chosen = form.choices.find((item) => item.id === choice) ?? form.choices[0]!;
  useEffect(() => {
    if (!chosen.parts) return onChange((values[''] ?? '').trim());
    const filled = chosen.parts.filter((part) => (values[part.key] ?? '').trim() !== '');
    onChange(filled.length === 0 ? '' : JSON.stringify(Object.fromEntries(filled.map((part) => [part.key, values[part.key]!.trim()]))));
    // onChange is the parent's state setter: only the values and the choice decide the secret.
  }, [chosen, values]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (key: string) => (event: ChangeEvent<HTMLInputElement>) => setValues((previous) => ({ ...previous, [key]: event.target.value }));
  return (
    <>
      <div className="segmented" role="radiogroup" aria-label="Key type">
        {form.choices.map((item) => (
          <button key={item.id} type="button" role="radio" aria-checked={item.id === chosen.id} onClick={() => { setChoice(item.id); setValues({}); }}>{item.label}</button>
        ))}
      </div>
      {(chosen.parts ?? [{ key: '', label: chosen.label }]).map((part) => (
        <Field key={`${chosen.id}:${part.key}`} label={part.label}>
          {(fieldId) => (
            <input id={fieldId} type={'visible' in part && part.visible ? 'text' : 'password'} autoComplete="off" spellCheck={false} className="mono"
              required={required && !('optional' in part && part.optional)} value={values[part.key] ?? ''} onChange={set(part.key)} />
          )}
        </Field>
      ))}
      <p className="hint">Stored encrypted as one key; afterwards only its last characters are shown.</p>
    </>
  );
}

/** What a pasted or chosen JSON key file says about itself (never its secret parts), or why it is not usable. */
export function describeJsonKey(text: string, requiredFields: readonly string[]): { ok: boolean; summary: string } {
  if (text.trim() === '') return { ok: false, summary: '' };
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const missing = requiredFields.filter((field) => typeof json[field] !== 'string' || json[field] === '');
    if (missing.length > 0) return { ok: false, summary: `This JSON lacks ${missing.join(', ')}.` };
    const who = typeof json.client_email === 'string' ? json.client_email : 'this account';
    return { ok: true, summary: `Key of ${who}${typeof json.project_id === 'string' ? ` (project ${json.project_id})` : ''}.` };
  } catch {
    return { ok: false, summary: 'This is not JSON: paste the whole key file, or choose it.' };
  }
}

function JsonFileInput({ form, required, onChange }: { form: JsonFileForm; required: boolean; onChange: (secret: string) => void }) {
  const [text, setText] = useState('');
  const described = describeJsonKey(text, form.requiredFields);
  useEffect(() => onChange(described.ok ? text.trim() : ''), [text]); // eslint-disable-line react-hooks/exhaustive-deps
  const readFile = async (event: ChangeEvent<HTMLInputElement>) => setText((await event.target.files?.[0]?.text()) ?? '');
  return (
    <Field label={form.label} hint={form.hint}>
      {(fieldId, hintId) => (
        <>
          <input id={fieldId} aria-describedby={hintId} type="password" autoComplete="off" placeholder="Paste the JSON key" className="mono"
            required={required} value={text} onChange={(e) => setText(e.target.value)} />
          <input type="file" accept=".json,application/json" aria-label={`${form.label} file`} onChange={(event) => void readFile(event)} />
          {described.summary ? <div className={described.ok ? 'hint' : 'notice notice-error'} role="status">{described.summary}</div> : null}
        </>
      )}
    </Field>
  );
}
