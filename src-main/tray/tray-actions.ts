/**
 * What each tray menu action does. The menu stays pure data; this is the one place that maps
 * an action to its effect on the controller, the window, the clipboard or the app.
 */
import type { Settings, SettingsPatch } from '../../src-proxy/control/contract.ts';
import type { MainWindowHandle } from '../window/main-window.ts';
import type { ProxyController } from '../proxy/proxy-controller.ts';
import type { TrayAction } from './tray-menu.ts';

export interface TrayActionDeps {
  controller: Pick<ProxyController, 'start' | 'stop'>;
  window: Pick<MainWindowHandle, 'show' | 'send'>;
  writeClipboard(text: string): void;
  getSettings(): Settings;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  openLogsFolder(): Promise<void>;
  quit(): void;
  onError(action: TrayAction, error: unknown): void;
}

export function createTrayActionHandler(deps: TrayActionDeps): (action: TrayAction) => void {
  const run = async (action: TrayAction): Promise<void> => {
    switch (action.type) {
      case 'start':
        await deps.controller.start();
        return;
      case 'stop':
        await deps.controller.stop();
        return;
      case 'copy':
        deps.writeClipboard(action.text);
        return;
      case 'open-window':
        deps.window.show();
        return;
      case 'change-port':
        deps.window.show();
        deps.window.send({ type: 'navigate', to: { page: 'settings', section: 'port' } });
        return;
      case 'open-history':
        deps.window.show();
        deps.window.send({ type: 'navigate', to: { page: 'history', id: action.id } });
        return;
      case 'toggle-launch-at-login':
        await deps.updateSettings({ launchAtLogin: !deps.getSettings().launchAtLogin });
        return;
      case 'open-logs':
        await deps.openLogsFolder();
        return;
      case 'quit':
        deps.quit();
        return;
    }
  };
  return (action) => {
    run(action).catch((error: unknown) => deps.onError(action, error));
  };
}
