import { useState } from 'react';
import type { OptionField, OptionValue } from '../../../src-proxy/control/contract.ts';
import { Field } from '../../components/Field';
import { Switch } from '../../components/Switch';

export type OptionValues = Record<string, OptionValue>;

/** `a = b` lines ↔ a string map (model name → deployment name). */
export function parseMapLines(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((line) => line.split('='))
    .filter((parts) => parts.length >= 2 && parts[0]!.trim() !== '')
    .map((parts) => [parts[0]!.trim(), parts.slice(1).join('=').trim()] as const);
  return Object.fromEntries(entries);
}

export function formatMapLines(map: Record<string, string> | undefined): string {
  return Object.entries(map ?? {})
    .map(([key, value]) => `${key} = ${value}`)
    .join('\n');
}

/** Drops empty strings and maps, so an untouched field is not sent at all. */
export function compactOptions(values: OptionValues): OptionValues {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => (typeof value === 'string' ? value.trim() !== '' : typeof value === 'object' ? Object.keys(value).length > 0 : true)),
  );
}

/** The provider-specific fields of a kind, rendered from the kind's own description. */
export function OptionFields({ fields, values, onChange }: { fields: readonly OptionField[]; values: OptionValues; onChange: (next: OptionValues) => void }) {
  const set = (key: string, value: OptionValue) => onChange({ ...values, [key]: value });
  return (
    <>
      {fields.map((field) => {
        const value = values[field.key];
        if (field.type === 'boolean') {
          return (
            <div key={field.key} className="field">
              <Switch label={field.label} checked={value === true} onChange={(checked) => set(field.key, checked)} />
              {field.help ? <div className="hint">{field.help}</div> : null}
            </div>
          );
        }
        if (field.type === 'map') {
          return <MapField key={field.key} field={field} initial={typeof value === 'object' ? value : undefined} onChange={(map) => set(field.key, map)} />;
        }
        return (
          <Field key={field.key} label={field.label} hint={field.help}>
            {(id, hintId) => (
              <input id={id} aria-describedby={hintId} value={typeof value === 'string' ? value : ''} placeholder={field.placeholder}
                onChange={(e) => set(field.key, e.target.value)} />
            )}
          </Field>
        );
      })}
    </>
  );
}

/** Lines of `key = value`; the text is kept as typed, the map is what gets saved. */
function MapField({ field, initial, onChange }: { field: Extract<OptionField, { type: 'map' }>; initial: Record<string, string> | undefined; onChange: (map: Record<string, string>) => void }) {
  const [text, setText] = useState(() => formatMapLines(initial));
  return (
    <Field label={field.label} hint={`${field.help ?? ''} One per line: ${field.keyLabel} = ${field.valueLabel}`.trim()}>
      {(id, hintId) => (
        <textarea id={id} aria-describedby={hintId} className="mono" rows={3} value={text}
          onChange={(e) => {
            setText(e.target.value);
            onChange(parseMapLines(e.target.value));
          }} />
      )}
    </Field>
  );
}
