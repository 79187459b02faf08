import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel } from '../../components/Panel';
import { useControlMutation } from '../../hooks/use-control';
import { downloadBytes } from '../history/download';

/** Settings → Diagnostics: the bundle `switchboard diagnose` writes, downloaded as one .tar.gz. */
export function DiagnosticsSettings() {
  const build = useControlMutation('buildDiagnostics');
  const save = () =>
    build.mutate(undefined, {
      onSuccess: (bundle) => downloadBytes(bundle.fileName, Uint8Array.from(atob(bundle.archiveBase64), (char) => char.charCodeAt(0)), 'application/gzip'),
    });
  const done = build.data;
  return (
    <Panel title="Diagnostics">
      <p className="muted small">
        One archive for a bug report: versions, OS, settings, the configuration without secrets, the checks, the newest 500 requests without bodies and the
        log tail. Every key and token Switchboard stores is swept out of it. Same as <code>switchboard diagnose --out FILE</code>.
      </p>
      {done ? <p className="muted small" role="status">Saved {done.fileName} ({(done.bytes / 1024).toFixed(1)} KB: {done.files.join(', ')}).</p> : null}
      <ErrorNotice error={build.error} />
      <div className="form-actions">
        <button type="button" className="button" disabled={build.isPending} onClick={save}>
          {build.isPending ? 'Building… (runs the checks)' : 'Save diagnostics bundle'}
        </button>
      </div>
    </Panel>
  );
}
