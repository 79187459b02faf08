import * as AlertDialog from '@radix-ui/react-alert-dialog';
import type { ReactNode } from 'react';

/**
 * A destructive action behind a confirmation (Radix AlertDialog): focus starts on Cancel, Escape
 * cancels, the question labels the dialog and the consequence describes it. No Radix Overlay, for
 * the same CSP reason as in Sheet.tsx.
 */
export function ConfirmButton({ label, title, description, actionLabel, onConfirm, small = false, ariaLabel }: {
  label: string;
  /** The question, e.g. "Revoke my-ide?" */
  title: string;
  /** What happens, in one sentence. */
  description: ReactNode;
  actionLabel: string;
  onConfirm: () => void;
  small?: boolean;
  /** Names the trigger when `label` alone is ambiguous in a list ("Delete" → "Delete key work"). */
  ariaLabel?: string;
}) {
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger className={`button ghost ${small ? 'small' : ''}`} aria-label={ariaLabel}>{label}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <div className="backdrop" aria-hidden="true" />
        <AlertDialog.Content className="confirm">
          <AlertDialog.Title>{title}</AlertDialog.Title>
          <AlertDialog.Description className="muted">{description}</AlertDialog.Description>
          <div className="form-actions">
            <AlertDialog.Cancel className="button">Cancel</AlertDialog.Cancel>
            <AlertDialog.Action className="button danger" onClick={onConfirm}>{actionLabel}</AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
