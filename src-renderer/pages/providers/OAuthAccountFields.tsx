import { useEffect, useState } from 'react';
import type { ControlRequest } from '../../../src-proxy/control/contract.ts';
import { Field } from '../../components/Field';

export type AccountInput = NonNullable<ControlRequest<'addKey'>['oauth2']>;

const EMPTY = { tokenUrl: '', clientId: '', clientSecret: '', refreshToken: '', scopes: '' };

/** The typed fields as addKey's `oauth2` (null until the required ones are filled). */
export function accountOf(values: typeof EMPTY): AccountInput | null {
  const tokenUrl = values.tokenUrl.trim();
  const clientId = values.clientId.trim();
  const refreshToken = values.refreshToken.trim();
  if (!tokenUrl || !clientId || !refreshToken) return null;
  const scopes = values.scopes.split(/[\s,]+/).filter(Boolean);
  return { tokenUrl, clientId, refreshToken, ...(values.clientSecret.trim() ? { clientSecret: values.clientSecret.trim() } : {}), ...(scopes.length > 0 ? { scopes } : {}) };
}

/**
 * An OAuth2 account (refresh-token grant): Switchboard exchanges the refresh token for access
 * tokens itself. The client secret and refresh token are write-only password fields; `issue`
 * gives the core's message for a field (`oauth2.tokenUrl`…).
 */
export function OAuthAccountFields({ issue, onChange }: { issue: (path: string) => string | null; onChange: (account: AccountInput | null) => void }) {
  const [values, setValues] = useState(EMPTY);
  useEffect(() => onChange(accountOf(values)), [values]); // eslint-disable-line react-hooks/exhaustive-deps
  const field = (key: keyof typeof EMPTY, label: string, options: { secret?: boolean; optional?: boolean; placeholder?: string; hint?: string } = {}) => {
    const problem = issue(`oauth2.${key}`);
    return (
      <Field label={label} hint={options.hint}>
        {(fieldId, hintId) => (
          <>
            <input id={fieldId} aria-describedby={hintId} aria-invalid={problem ? true : undefined} className="mono" autoComplete="off" spellCheck={false}
              type={options.secret ? 'password' : 'text'} required={!options.optional} placeholder={options.placeholder} value={values[key]}
              onChange={(event) => setValues((previous) => ({ ...previous, [key]: event.target.value }))} />
            {problem ? <div className="field-error" role="alert">{problem}</div> : null}
          </>
        )}
      </Field>
    );
  };
  return (
    <div className="field-pair">
      {field('tokenUrl', 'Token URL', { placeholder: 'https://oauth2.googleapis.com/token' })}
      {field('clientId', 'Client id')}
      {field('clientSecret', 'Client secret (optional)', { secret: true, optional: true })}
      {field('refreshToken', 'Refresh token', { secret: true, hint: 'Stored encrypted; never shown again.' })}
      {field('scopes', 'Scopes (optional)', { optional: true, placeholder: 'https://www.googleapis.com/auth/cloud-platform', hint: 'Separated by spaces.' })}
    </div>
  );
}
