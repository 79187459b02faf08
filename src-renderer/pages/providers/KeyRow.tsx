import { useState, type FormEvent } from 'react';
import type { KeyInfo } from '../../../src-proxy/control/contract.ts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Switch } from '../../components/Switch';
import { useControlMutation } from '../../hooks/use-control';
import { issueAt, unplacedError } from '../../lib/field-issues';
import { formatRelative } from '../../lib/format';
import { AccountEditFields } from './AccountEditFields';
import { accountEditOf, accountEditProblem, accountValuesOf } from './account-edit';
import { keyStateOf } from './key-state';
import { maskedUrlProblem } from './proxy-setting';

const EDIT_FIELDS = ['proxy', 'label', 'oauth2.tokenUrl', 'oauth2.clientId', 'oauth2.clientSecret', 'oauth2.refreshToken', 'oauth2.scopes'];

/** One masked key or OAuth account: its proxy, enable, edit (label, new secret or the account's fields, and/or proxy), delete, its state. */
export function KeyRow({ keyInfo }: { keyInfo: KeyInfo }) {
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState('');
  const [proxy, setProxy] = useState(keyInfo.proxy ?? '');
  const [label, setLabel] = useState(keyInfo.label);
  const saved = keyInfo.oauth2;
  const [accountValues, setAccountValues] = useState(saved ? accountValuesOf(saved) : null);
  const setEnabled = useControlMutation('setKeyEnabled');
  const replace = useControlMutation('replaceKey');
  const remove = useControlMutation('deleteKey');
  const state = keyStateOf(keyInfo);
  const account = keyInfo.type === 'oauth2';
  const proxyChanged = proxy.trim() !== (keyInfo.proxy ?? '');
  const labelChanged = label.trim() !== keyInfo.label;
  const labelProblem = label.trim() === '' ? 'A key needs a label.' : issueAt(replace.error, 'label');
  const proxyProblem = maskedUrlProblem(proxy, keyInfo.proxy) ?? issueAt(replace.error, 'proxy');
  const accountEdit = saved && accountValues ? accountEditOf(saved, accountValues) : null;
  const accountProblem = saved && accountValues ? accountEditProblem(saved, accountValues) : null;
  const open = () => {
    setProxy(keyInfo.proxy ?? '');
    setLabel(keyInfo.label);
    setSecret('');
    setAccountValues(saved ? accountValuesOf(saved) : null);
    replace.reset();
    setEditing(!editing);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // A new secret replaces the whole key, so its proxy is always sent with it (the mask keeps the stored one).
    const nextProxy = proxy.trim() === '' ? null : proxy.trim();
    const request = {
      keyId: keyInfo.id,
      ...(secret.trim() ? { secret: secret.trim(), proxy: nextProxy } : proxyChanged ? { proxy: nextProxy } : {}),
      ...(accountEdit ? { oauth2: accountEdit } : {}),
      ...(labelChanged ? { label: label.trim() } : {}),
    };
    replace.mutate(request, { onSuccess: () => { setEditing(false); setSecret(''); } });
  };
  return (
    <>
      <tr>
        <td>{keyInfo.label}{account ? <span className="tag">OAuth</span> : null}</td>
        <td className="mono">
          {keyInfo.masked}
          {keyInfo.proxy ? <span className="key-via">via {keyInfo.proxy}</span> : null}
        </td>
        <td><Switch label={`Key ${keyInfo.label} enabled`} hideLabel checked={keyInfo.enabled} onChange={(enabled) => setEnabled.mutate({ keyId: keyInfo.id, enabled })} /></td>
        <td className="muted">{formatRelative(keyInfo.lastUsedAt)}</td>
        <td className="key-state" title={state.title ?? undefined}>
          <span className={`pill pill-${state.tone === 'bad' ? 'bad' : state.tone}`}>{state.text}</span>
          {state.error ? <span className="text-bad small key-via">{state.error}</span> : null}
        </td>
        <td className="actions">
          <button type="button" className="button small" onClick={open} aria-expanded={editing} aria-label={`Edit key ${keyInfo.label}`}>Edit</button>
          <ConfirmButton small label="Delete" ariaLabel={`Delete key ${keyInfo.label}`} title={`Delete key ${keyInfo.label}?`} actionLabel="Delete key"
            description={<>The key <code>{keyInfo.masked}</code> is erased from Switchboard; requests use the provider's other keys.</>}
            onConfirm={() => remove.mutate({ keyId: keyInfo.id })} />
        </td>
      </tr>
      {editing || setEnabled.error || replace.error || remove.error ? (
        <tr>
          <td colSpan={6}>
            {editing ? (
              <form className="inline-form key-edit" onSubmit={submit} aria-label={`Edit key ${keyInfo.label}`}>
                <input aria-label={`Label of ${keyInfo.label}`} aria-invalid={labelProblem ? true : undefined} autoComplete="off" spellCheck={false} maxLength={100}
                  placeholder="Label" value={label} onChange={(e) => setLabel(e.target.value)} />
                {account ? null : (
                  <input aria-label={`New secret for ${keyInfo.label}`} type="password" autoComplete="off" placeholder="New secret (blank: keep it)" value={secret} onChange={(e) => setSecret(e.target.value)} className="mono" />
                )}
                <input aria-label={`Proxy for ${keyInfo.label}`} aria-invalid={proxyProblem ? true : undefined} className="mono" autoComplete="off" spellCheck={false}
                  placeholder="Proxy (blank: the provider's)" value={proxy} onChange={(e) => setProxy(e.target.value)} />
                {saved && accountValues ? (
                  <AccountEditFields name={keyInfo.label} saved={saved} values={accountValues} onChange={setAccountValues}
                    issue={(path) => (accountProblem?.path === path ? accountProblem.message : issueAt(replace.error, path))} />
                ) : null}
                <button type="submit" className="button primary small"
                  disabled={replace.isPending || (!secret.trim() && !proxyChanged && !labelChanged && !accountEdit) || label.trim() === '' || maskedUrlProblem(proxy, keyInfo.proxy) !== null || accountProblem !== null}>Save</button>
                {labelProblem ? <div className="field-error" role="alert">{labelProblem}</div> : null}
                {proxyProblem ? <div className="field-error" role="alert">{proxyProblem}</div> : null}
              </form>
            ) : null}
            <ErrorNotice error={setEnabled.error ?? unplacedError(replace.error, EDIT_FIELDS) ?? remove.error} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
