/** An HTTP status as a coloured pill: green 2xx, amber 4xx, red 5xx / errors. */
export function StatusPill({ status, errorCode }: { status: number; errorCode?: string | null }) {
  const tone = status >= 200 && status < 300 && !errorCode ? 'ok' : status >= 400 && status < 500 ? 'warn' : 'bad';
  return (
    <span className={`pill pill-${tone}`} title={errorCode ?? undefined}>
      {status || 'ERR'}
    </span>
  );
}
