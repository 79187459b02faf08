import * as Tooltip from '@radix-ui/react-tooltip';
import type { ReactElement, ReactNode } from 'react';

/** One provider at the root: tooltips open after a short delay and move between triggers at once. */
export function TipProvider({ children }: { children: ReactNode }) {
  return <Tooltip.Provider delayDuration={300} skipDelayDuration={200}>{children}</Tooltip.Provider>;
}

/**
 * A tooltip on hover and keyboard focus (Radix Tooltip). The child must be a focusable element
 * that already has an accessible name: the tooltip repeats it for sighted mouse users, it never
 * replaces it. `disabled` renders the child alone (e.g. a label that is already visible).
 */
export function Tip({ label, side = 'top', disabled = false, children }: { label: ReactNode; side?: 'top' | 'right' | 'bottom' | 'left'; disabled?: boolean; children: ReactElement }) {
  if (disabled) return children;
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>{children}</Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tip" side={side} sideOffset={6} collisionPadding={8}>
          {label}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}
