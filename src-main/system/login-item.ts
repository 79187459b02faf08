/**
 * "Launch at login": login items on macOS and Windows (Electron's setLoginItemSettings), an XDG
 * autostart entry on Linux, where Electron has no API (specifications.freedesktop.org
 * autostart-spec: a .desktop file in ~/.config/autostart).
 */
import type { App } from 'electron';
import fs from 'node:fs';
import path from 'node:path';

export interface LoginItemDeps {
  app: Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;
  platform: NodeJS.Platform;
  /** ~/.config/autostart (XDG_CONFIG_HOME respected by the caller). */
  autostartDir: string;
  /** The binary to start: $APPIMAGE for an AppImage, process.execPath otherwise. */
  executable: string;
}

export interface LoginItem {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

export const AUTOSTART_FILE = 'switchboard.desktop';

/** --hidden: started at login, the app stays in the tray. */
export const HIDDEN_FLAG = '--hidden';

export function autostartEntry(executable: string): string {
  // Desktop Entry Exec values quote arguments with double quotes and escape \ " ` $.
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Switchboard',
    'Comment=Local LLM gateway',
    `Exec=${quoted} ${HIDDEN_FLAG}`,
    'Icon=switchboard',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function createLoginItem(deps: LoginItemDeps): LoginItem {
  const file = path.join(deps.autostartDir, AUTOSTART_FILE);
  if (deps.platform === 'linux') {
    return {
      isEnabled: () => fs.existsSync(file),
      setEnabled(enabled) {
        if (!enabled) return fs.rmSync(file, { force: true });
        fs.mkdirSync(deps.autostartDir, { recursive: true });
        fs.writeFileSync(file, autostartEntry(deps.executable));
      },
    };
  }
  return {
    isEnabled: () => deps.app.getLoginItemSettings().openAtLogin,
    setEnabled(enabled) {
      // Windows passes --hidden; macOS ignores args, and main.ts asks wasOpenedAtLogin instead.
      deps.app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
    },
  };
}
