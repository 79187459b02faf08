/**
 * Ctrl-C handling for `serve`: the first SIGINT/SIGTERM drains gracefully, a second one a user
 * gives on purpose exits at once. One Ctrl-C often arrives twice: the terminal signals the whole
 * foreground process group, and wrappers in it (`npm run`, `npm start`'s launcher) forward the
 * same signal to their child. Signals within DUPLICATE_WINDOW_MS of the first count as that one.
 */
export const DUPLICATE_WINDOW_MS = 1500;

export interface ShutdownSignalDeps {
  shutdown(): void;
  forceExit(): void;
  now?: () => number;
  on?: (signal: NodeJS.Signals, listener: () => void) => void;
}

export function installShutdownSignals(deps: ShutdownSignalDeps): (signal: NodeJS.Signals) => void {
  const now = deps.now ?? Date.now;
  let firstAt: number | null = null;
  const onSignal = () => {
    if (firstAt === null) {
      firstAt = now();
      deps.shutdown();
      return;
    }
    if (now() - firstAt < DUPLICATE_WINDOW_MS) return;
    deps.forceExit();
  };
  const on = deps.on ?? ((signal, listener) => process.on(signal, listener));
  on('SIGINT', onSignal);
  on('SIGTERM', onSignal);
  return onSignal;
}
