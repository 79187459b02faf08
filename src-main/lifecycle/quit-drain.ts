/**
 * Quitting drains the proxy first: Electron's before-quit is cancelled, in-flight streams get
 * until the drain deadline (then an in-band "proxy stopping" error), history is flushed and the
 * database closed, and only then does the app quit for real. A hard deadline on top means
 * a stuck close can delay the exit but never prevent it.
 */
import type { App } from 'electron';
import type { ProxyController, ShutdownOutcome } from '../proxy/proxy-controller.ts';

export interface QuitDrainDeps {
  app: Pick<App, 'on' | 'quit'>;
  controller: Pick<ProxyController, 'shutdown'>;
  drainTimeoutMs(): number;
  /** Extra time after the drain deadline for flushing and closing. Default 3 s. */
  graceMs?: number;
  onDrained?(outcome: ShutdownOutcome): void;
}

export interface QuitState {
  /** True from the first quit request on: the window's close then really closes. */
  isQuitting(): boolean;
}

export function registerQuitDrain(deps: QuitDrainDeps): QuitState {
  let phase: 'running' | 'draining' | 'drained' = 'running';

  deps.app.on('before-quit', (event) => {
    if (phase === 'drained') return;
    event.preventDefault();
    if (phase === 'draining') return;
    phase = 'draining';
    void deps.controller.shutdown({ drainTimeoutMs: deps.drainTimeoutMs(), graceMs: deps.graceMs ?? 3000 }).then((outcome) => {
      phase = 'drained';
      deps.onDrained?.(outcome);
      deps.app.quit();
    });
  });

  // A tray app outlives its window: without this listener Electron would quit when it closes.
  deps.app.on('window-all-closed', () => undefined);

  return { isQuitting: () => phase !== 'running' };
}
