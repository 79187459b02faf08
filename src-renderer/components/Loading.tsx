export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <div className="loading muted" role="status">{label}</div>;
}
