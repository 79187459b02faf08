/**
 * The tray icon: the Electron edge around buildTrayMenu / trayIconFor. It redraws on demand
 * (status or history changed) and once a minute so the ages of recent requests stay honest.
 */
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import path from 'node:path';
import { buildTrayMenu, type TrayAction, type TrayMenuItem, type TrayState } from './tray-menu.ts';
import { trayIconFor, trayTooltip } from './tray-icon.ts';

export type TrayLike = Pick<Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>;

export interface TrayDeps {
  createTray(image: NativeImage): TrayLike;
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
  loadImage(file: string): NativeImage;
  assetsDir: string;
  platform: NodeJS.Platform;
  getState(): TrayState;
  onAction(action: TrayAction): void;
  refreshEveryMs?: number;
}

export interface TrayHandle {
  refresh(): void;
  destroy(): void;
}

export function createTray(deps: TrayDeps): TrayHandle {
  const iconPath = (state: TrayState) => path.join(deps.assetsDir, trayIconFor(state.status.state, deps.platform));
  const initial = deps.getState();
  let shownIcon = iconPath(initial);
  const tray = deps.createTray(deps.loadImage(shownIcon));

  // Windows: a left click opens the window, the right click shows the menu. Linux always gets
  // the context menu (many panels never deliver click events); macOS shows it on any click.
  if (deps.platform === 'win32') tray.on('click', () => deps.onAction({ type: 'open-window' }));

  const refresh = () => {
    const state = deps.getState();
    const nextIcon = iconPath(state);
    if (nextIcon !== shownIcon) {
      tray.setImage(deps.loadImage(nextIcon));
      shownIcon = nextIcon;
    }
    tray.setToolTip(trayTooltip(state.status));
    tray.setContextMenu(deps.buildMenu(toTemplate(buildTrayMenu(state), deps.onAction)));
  };
  refresh();

  const timer = setInterval(refresh, deps.refreshEveryMs ?? 60_000);
  timer.unref?.();
  return {
    refresh,
    destroy() {
      clearInterval(timer);
      tray.destroy();
    },
  };
}

export function toTemplate(items: TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator' };
    const { action } = item;
    return {
      label: item.label,
      enabled: item.enabled,
      ...(item.checked !== undefined ? { type: 'checkbox', checked: item.checked } : {}),
      ...(item.submenu ? { submenu: toTemplate(item.submenu, onAction) } : {}),
      ...(action ? { click: () => onAction(action) } : {}),
    };
  });
}
