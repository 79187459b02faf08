import { useEffect, useState, type ChangeEvent } from 'react';
import type { CertificateSummary } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { issueAt, unplacedError } from '../../lib/field-issues';
import { formatTime } from '../../lib/format';

function CertificateList({ certificates, label }: { certificates: CertificateSummary[]; label: string }) {
  return (
    <ul className="certificates" aria-label={label}>
      {certificates.map((certificate) => (
        <li key={certificate.fingerprint256}>
          <span className="mono">{certificate.subject}</span>
          <span className={certificate.expired ? 'text-bad small' : 'muted small'}>
            {certificate.expired ? 'expired ' : 'valid until '}{formatTime(certificate.validTo)}
            {certificate.ca ? '' : ' · not a CA certificate'}
            {certificate.issuer !== certificate.subject ? ` · issued by ${certificate.issuer}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * settings.proxyCa: the PEM certificate(s) of a private CA that signs an https:// proxy's
 * certificate, pasted or chosen as a file. The core reads each certificate before saving (a text
 * that is not one is refused at the field) and says whose it is and until when it holds.
 */
export function ProxyCaSetting({ saved }: { saved: string | null }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const current = useControlQuery('describeCertificates', { pem: saved ?? '' }, { enabled: saved !== null });
  const preview = useControlMutation('describeCertificates');
  const update = useControlMutation('updateSettings');
  const { mutate: describe, reset: resetPreview } = preview;
  useEffect(() => {
    if (draft.trim() === '') return resetPreview();
    describe({ pem: draft });
  }, [draft, describe, resetPreview]);
  const readFile = async (event: ChangeEvent<HTMLInputElement>) => setDraft((await event.target.files?.[0]?.text()) ?? '');
  const save = (proxyCa: string | null) => update.mutate({ proxyCa }, { onSuccess: () => { setEditing(false); setDraft(''); } });
  const problem = issueAt(preview.error, 'pem') ?? issueAt(update.error, 'proxyCa');
  return (
    <div className="proxy-ca">
      <h3>Private CA for https:// proxies</h3>
      {saved === null ? (
        <p className="muted small">None: https:// proxies must show a certificate from a public CA. Add your organisation's CA when its proxy uses one of its own.</p>
      ) : current.data ? (
        <CertificateList certificates={current.data} label="Trusted proxy CA" />
      ) : (
        <ErrorNotice error={current.error} />
      )}
      {editing ? (
        <form className="form" onSubmit={(event) => { event.preventDefault(); save(draft.trim()); }}>
          <Field label="CA certificate (PEM)" hint="Paste the certificate(s) or choose the .pem / .crt file. Added to the system's trusted roots for the hop to the proxy only.">
            {(fieldId, hintId) => (
              <>
                <textarea id={fieldId} aria-describedby={hintId} aria-invalid={problem ? true : undefined} className="mono" rows={5} spellCheck={false}
                  placeholder="-----BEGIN CERTIFICATE-----" value={draft} onChange={(event) => setDraft(event.target.value)} />
                <input type="file" accept=".pem,.crt,.cer,application/x-pem-file" aria-label="CA certificate file" onChange={(event) => void readFile(event)} />
                {problem ? <div className="field-error" role="alert">{problem}</div> : null}
                {preview.data ? <CertificateList certificates={preview.data} label="Certificates to add" /> : null}
              </>
            )}
          </Field>
          <ErrorNotice error={unplacedError(update.error, ['proxyCa'])} />
          <div className="form-actions">
            <button type="button" className="button ghost" onClick={() => { setEditing(false); setDraft(''); }}>Cancel</button>
            <button type="submit" className="button primary" disabled={update.isPending || !preview.data || draft.trim() === ''}>Save CA</button>
          </div>
        </form>
      ) : (
        <div className="form-actions start">
          <button type="button" className="button small" onClick={() => { update.reset(); setEditing(true); }}>{saved === null ? 'Add a CA certificate' : 'Replace'}</button>
          {saved !== null ? <button type="button" className="button small ghost" onClick={() => save(null)}>Remove</button> : null}
        </div>
      )}
    </div>
  );
}
