import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_FOLDER_NAME = 'Switchboard';

export interface DataDirContext {
  /** The --data-dir flag, when given. */
  flag?: string;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * Where switchboard.db lives: --data-dir, else SWITCHBOARD_DATA_DIR, else the folder Electron's
 * `app.getPath('userData')` gives for productName "Switchboard" (appData + name), so the CLI
 * and the desktop app share one store.
 */
export function resolveDataDir(context: DataDirContext): string {
  if (context.flag) return context.flag;
  const fromEnv = context.env.SWITCHBOARD_DATA_DIR;
  if (fromEnv) return fromEnv;
  return join(appDataDir(context.platform ?? process.platform, context.env, context.home ?? homedir()), APP_FOLDER_NAME);
}

/** Electron's appData: %APPDATA% on Windows, ~/Library/Application Support on macOS, XDG elsewhere. */
function appDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || join(home, '.config');
}
