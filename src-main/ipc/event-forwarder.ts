/**
 * Pushes the engine's events to the window: status changes at once, history rows batched (a busy
 * IDE can finish dozens of requests a second; the window needs one update per batch, not one
 * IPC message per row).
 */
import type { ControlEventSource, HistoryRow } from '../../src-proxy/control/contract.ts';
import type { BridgeEvent } from './channels.ts';

export interface EventForwarderDeps {
  events: ControlEventSource;
  send(event: BridgeEvent): void;
  /** Default 250 ms. */
  batchMs?: number;
}

export function forwardControlEvents(deps: EventForwarderDeps): () => void {
  const batchMs = deps.batchMs ?? 250;
  let pending: HistoryRow[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    deps.send({ type: 'history', rows });
  };

  const unsubscribe = deps.events.subscribe((event) => {
    if (event.type === 'history') {
      pending.push(...event.rows);
      timer ??= setTimeout(flush, batchMs);
      return;
    }
    // Rows recorded before a status change are sent before it, keeping the window's order.
    flush();
    deps.send(event);
  });

  return () => {
    unsubscribe();
    flush();
  };
}
