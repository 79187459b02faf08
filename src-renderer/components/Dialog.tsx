import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal side sheet: focus moves into it, Escape or the backdrop closes it, and focus returns
 * to where it was.
 */
export function Dialog({ title, onClose, children, wide = false }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    return () => previous?.focus?.();
  }, []);
  return (
    <div className="backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div ref={ref} className={`sheet ${wide ? 'sheet-wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} tabIndex={-1}
        onKeyDown={(event) => event.key === 'Escape' && onClose()}>
        <div className="sheet-head">
          <h2>{title}</h2>
          <button type="button" className="button ghost" onClick={onClose} aria-label="Close">✕</button>
        </div>
        <div className="sheet-body">{children}</div>
      </div>
    </div>
  );
}
