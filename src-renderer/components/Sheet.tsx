import * as Dialog from '@radix-ui/react-dialog';
import { useState, type ReactNode } from 'react';

/**
 * A modal side sheet on Radix Dialog: focus is trapped inside and returns where it was, Escape
 * and a click outside close it, the title labels it and the page behind is hidden from assistive
 * tech. Radix's Overlay is not used on purpose: its scroll lock injects a <style> element, which
 * the dashboard's CSP (style-src 'self') refuses; a plain backdrop looks the same.
 */
export function Sheet({ title, description, onClose, children, wide = false }: {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  // Radix returns focus to its own Trigger; these sheets are opened by plain buttons, so the
  // element that had focus when the sheet opened gets it back.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  return (
    <Dialog.Root open onOpenChange={(open) => (open ? undefined : onClose())}>
      <Dialog.Portal>
        <div className="backdrop" aria-hidden="true" />
        <Dialog.Content className={`sheet ${wide ? 'sheet-wide' : ''}`} {...(description ? {} : { 'aria-describedby': undefined })}
          onCloseAutoFocus={(event) => { event.preventDefault(); opener?.focus(); }}>
          <div className="sheet-head">
            <Dialog.Title>{title}</Dialog.Title>
            {/* No tooltip here: focus lands on this button first, and an open tooltip would take the first Escape. */}
            <Dialog.Close className="button ghost" aria-label="Close">✕</Dialog.Close>
          </div>
          <div className="sheet-body">
            {description ? <Dialog.Description className="muted">{description}</Dialog.Description> : null}
            {children}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
