import type { ClientLimits } from '../../../src-proxy/control/contract.ts';
import { Field } from '../../components/Field';
import { LIMIT_FIELDS, type LimitsDraft } from './limits-form';

/** The six limits as number fields (empty = no limit). `only` picks a subset (the Ollama lane). */
export function LimitsFields({ draft, onChange, problemField, only }: {
  draft: LimitsDraft;
  onChange: (draft: LimitsDraft) => void;
  problemField?: keyof ClientLimits | null;
  only?: ReadonlyArray<keyof ClientLimits>;
}) {
  return (
    <div className="grid-2 tight">
      {LIMIT_FIELDS.filter(({ key }) => !only || only.includes(key)).map(({ key, label, unit, hint, integer }) => (
        <Field key={key} label={`${label} (${unit})`} hint={hint}>
          {(id, hintId) => (
            <input id={id} aria-describedby={hintId} inputMode={integer ? 'numeric' : 'decimal'} placeholder="No limit" value={draft[key]}
              aria-invalid={problemField === key ? true : undefined} onChange={(event) => onChange({ ...draft, [key]: event.target.value })} />
          )}
        </Field>
      ))}
    </div>
  );
}
