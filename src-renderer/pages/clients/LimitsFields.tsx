import type { ClientLimits } from '../../../src-proxy/control/contract.ts';
import { Field } from '../../components/Field';
import { LIMIT_FIELDS, type LimitsDraft } from './limits-form';

/**
 * The six limits as number fields (empty = no limit). `only` picks a subset (a provider's pacing),
 * `hints` says what going over means where it differs from a client's.
 */
export function LimitsFields({ draft, onChange, problemField, only, hints }: {
  draft: LimitsDraft;
  onChange: (draft: LimitsDraft) => void;
  problemField?: keyof ClientLimits | null;
  only?: ReadonlyArray<keyof ClientLimits>;
  hints?: Partial<Record<keyof ClientLimits, string>>;
}) {
  return (
    <div className="grid-2 tight">
      {LIMIT_FIELDS.filter(({ key }) => !only || only.includes(key)).map(({ key, label, unit, hint, integer }) => (
        <Field key={key} label={`${label} (${unit})`} hint={hints?.[key] ?? hint}>
          {(id, hintId) => (
            <input id={id} aria-describedby={hintId} inputMode={integer ? 'numeric' : 'decimal'} placeholder="No limit" value={draft[key]}
              aria-invalid={problemField === key ? true : undefined} onChange={(event) => onChange({ ...draft, [key]: event.target.value })} />
          )}
        </Field>
      ))}
    </div>
  );
}
