import { useState, type FormEvent } from 'react';
import type { KeyInfo } from '../../../src-proxy/control/contract.ts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Switch } from '../../components/Switch';
import { useControlMutation } from '../../hooks/use-control';
import { formatRelative } from '../../lib/format';

/** One masked key: enable, replace, delete, its last error and cooldown. */
export function KeyRow({ keyInfo }: { keyInfo: KeyInfo }) {
  const [replacing, setReplacing] = useState(false);
  const [secret, setSecret] = useState('');
  const setEnabled = useControlMutation('setKeyEnabled');
  const replace = useControlMutation('replaceKey');
  const remove = useControlMutation('deleteKey');
  const coolingDown = keyInfo.cooldownUntil !== null && keyInfo.cooldownUntil > Date.now();
  // A rest that is over says nothing about the key now: its old error (a 429) is not shown as current.
  const rested = keyInfo.cooldownUntil !== null && !coolingDown;
  const currentError = rested ? null : keyInfo.lastError;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    replace.mutate({ keyId: keyInfo.id, secret: secret.trim() }, { onSuccess: () => { setReplacing(false); setSecret(''); } });
  };
  return (
    <>
      <tr>
        <td>{keyInfo.label}</td>
        <td className="mono">{keyInfo.masked}</td>
        <td><Switch label={`Key ${keyInfo.label} enabled`} hideLabel checked={keyInfo.enabled} onChange={(enabled) => setEnabled.mutate({ keyId: keyInfo.id, enabled })} /></td>
        <td className="muted">{formatRelative(keyInfo.lastUsedAt)}</td>
        <td>
          {coolingDown ? <span className="pill pill-warn">cooling down {formatRelative(keyInfo.cooldownUntil)}</span> : null}
          {currentError ? <span className="text-bad small" title={currentError}>{currentError}</span> : null}
          {!coolingDown && !currentError ? <span className="pill pill-ok" title={rested && keyInfo.lastError ? `Rested; before: ${keyInfo.lastError}` : undefined}>ok</span> : null}
        </td>
        <td className="actions">
          <button type="button" className="button small" onClick={() => setReplacing(!replacing)} aria-expanded={replacing}>Replace</button>
          <ConfirmButton small label="Delete" ariaLabel={`Delete key ${keyInfo.label}`} title={`Delete key ${keyInfo.label}?`} actionLabel="Delete key"
            description={<>The key <code>{keyInfo.masked}</code> is erased from Switchboard; requests use the provider's other keys.</>}
            onConfirm={() => remove.mutate({ keyId: keyInfo.id })} />
        </td>
      </tr>
      {replacing || setEnabled.error || replace.error || remove.error ? (
        <tr>
          <td colSpan={6}>
            {replacing ? (
              <form className="inline-form" onSubmit={submit}>
                <input aria-label={`New secret for ${keyInfo.label}`} type="password" autoComplete="off" placeholder="Paste the new key" value={secret} onChange={(e) => setSecret(e.target.value)} required className="mono" />
                <button type="submit" className="button primary small" disabled={replace.isPending}>Save</button>
              </form>
            ) : null}
            <ErrorNotice error={setEnabled.error ?? replace.error ?? remove.error} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
