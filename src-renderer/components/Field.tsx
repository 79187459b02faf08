import { useId, type ReactNode } from 'react';

/** A label, one control and an optional hint, wired together for assistive tech. */
export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: (id: string, hintId: string | undefined) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint ? <div id={hintId} className="hint">{hint}</div> : null}
    </div>
  );
}
