/** Shown when the browser has no valid admin token (opened without the printed address, or signed out). */
export function AdminTokenMissing({ signedOut = false }: { signedOut?: boolean }) {
  return (
    <main className="gate">
      <div className="panel gate-panel">
        <h1>{signedOut ? 'Signed out' : 'Open the dashboard with its address'}</h1>
        {signedOut && <p>This tab no longer holds the dashboard token. To sign in again, open the dashboard address with its token.</p>}
        <p>
          This page needs the dashboard token. <code>switchboard serve</code> printed an address like{' '}
          <code>http://127.0.0.1:11434/_switchboard/#token=…</code> when it started: open that address (the token stays in
          this tab only).
        </p>
        <p className="muted"><code className="error-code">invalid_admin_token</code> The dashboard token is missing or wrong.</p>
      </div>
    </main>
  );
}
