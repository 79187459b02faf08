import type { ReactNode } from 'react';

/** What a first-time user sees instead of an empty list: what this is and the next step. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <h3>{title}</h3>
      <div className="muted">{children}</div>
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}
