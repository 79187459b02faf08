/**
 * One Switchboard per user: a second launch (a click on the app icon, the login item racing a
 * manual start) hands over to the first, which shows its window, and exits. Taken before the
 * proxy binds its port, so two instances never fight over it.
 */
import type { App } from 'electron';

export interface SingleInstanceDeps {
  app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit'>;
  onSecondInstance(): void;
}

/** Returns false when another instance holds the lock; this one is then quitting. */
export function claimSingleInstance(deps: SingleInstanceDeps): boolean {
  if (!deps.app.requestSingleInstanceLock()) {
    deps.app.quit();
    return false;
  }
  deps.app.on('second-instance', () => deps.onSecondInstance());
  return true;
}
