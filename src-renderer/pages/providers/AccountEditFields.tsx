import type { MaskedKeyAccount } from '../../../src-proxy/control/contract.ts';
import { Field } from '../../components/Field';
import type { AccountValues } from './account-edit';

/**
 * Edit's fields for an OAuth account: the token URL, client id (shown masked) and scopes as saved;
 * the client secret and refresh token write-only, blank keeping the saved one. `issue` gives the
 * message for a field (`oauth2.clientId`…), from the form's own check or the core's refusal.
 */
export function AccountEditFields({ name, saved, values, issue, onChange }: {
  name: string;
  saved: MaskedKeyAccount;
  values: AccountValues;
  issue: (path: string) => string | null;
  onChange: (values: AccountValues) => void;
}) {
  const field = (key: keyof AccountValues, label: string, options: { secret?: boolean; placeholder?: string; hint?: string } = {}) => {
    const problem = issue(`oauth2.${key}`);
    return (
      <Field label={label} hint={options.hint}>
        {(fieldId, hintId) => (
          <>
            <input id={fieldId} aria-label={`${label} of ${name}`} aria-describedby={hintId} aria-invalid={problem ? true : undefined} className="mono" autoComplete="off" spellCheck={false}
              type={options.secret ? 'password' : 'text'} placeholder={options.placeholder} value={values[key]}
              onChange={(event) => onChange({ ...values, [key]: event.target.value })} />
            {problem ? <div className="field-error" role="alert">{problem}</div> : null}
          </>
        )}
      </Field>
    );
  };
  const keep = (mask: string | null) => (mask ? `saved ${mask} (blank: keep it)` : 'none saved');
  return (
    <div className="field-pair key-account-edit">
      {field('tokenUrl', 'Token URL')}
      {field('clientId', 'Client id', { hint: 'Shown masked; edit it only to replace it whole.' })}
      {field('clientSecret', 'Client secret', { secret: true, placeholder: keep(saved.clientSecret) })}
      {field('refreshToken', 'Refresh token', { secret: true, placeholder: keep(saved.refreshToken) })}
      {field('scopes', 'Scopes', { placeholder: 'none', hint: 'Separated by spaces.' })}
    </div>
  );
}
