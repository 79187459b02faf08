import { useEffect, useState } from 'react';

/** A destructive button that asks once more in place (no modal) and forgets after 4 s. */
export function ConfirmButton({ label, confirmLabel, onConfirm, small = false }: { label: string; confirmLabel: string; onConfirm: () => void; small?: boolean }) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const timer = setTimeout(() => setArmed(false), 4000);
    return () => clearTimeout(timer);
  }, [armed]);
  return (
    <button type="button" className={`button ${armed ? 'danger' : 'ghost'} ${small ? 'small' : ''}`}
      onClick={() => (armed ? (setArmed(false), onConfirm()) : setArmed(true))}>
      {armed ? confirmLabel : label}
    </button>
  );
}
