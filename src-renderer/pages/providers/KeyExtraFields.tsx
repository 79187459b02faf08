import { Field } from '../../components/Field';

/**
 * A new key's label and its own outbound proxy, beside its secret or account: on a card's Add key
 * and for the first key in Add provider. The proxy's password is shown as ••• once saved.
 */
export function KeyExtraFields({ label, proxy, labelPlaceholder, proxyProblem, onLabel, onProxy }: {
  label: string;
  proxy: string;
  labelPlaceholder: string;
  proxyProblem: string | null;
  onLabel: (label: string) => void;
  onProxy: (proxy: string) => void;
}) {
  return (
    <div className="field-pair">
      <Field label="Label (optional)">
        {(fieldId) => <input id={fieldId} placeholder={labelPlaceholder} value={label} maxLength={100} onChange={(event) => onLabel(event.target.value)} />}
      </Field>
      <Field label="Proxy for this key (optional)" hint="Instead of the provider's; stored encrypted, the password shown as ••• afterwards.">
        {(fieldId, hintId) => (
          <>
            <input id={fieldId} aria-describedby={hintId} aria-invalid={proxyProblem ? true : undefined} className="mono" autoComplete="off" spellCheck={false}
              placeholder="socks5://user:password@proxy:1080" value={proxy} onChange={(event) => onProxy(event.target.value)} />
            {proxyProblem ? <div className="field-error" role="alert">{proxyProblem}</div> : null}
          </>
        )}
      </Field>
    </div>
  );
}
