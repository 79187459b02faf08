/**
 * The Switchboard window. Created on first show (a tray app started at login may never need
 * it), hidden rather than closed so the proxy keeps running, and locked down: isolated,
 * sandboxed, no Node, no webview. On macOS the Dock icon exists only while the window shows.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { BridgeEvent } from '../ipc/channels.ts';
import { EVENT_CHANNEL } from '../ipc/channels.ts';

export type WindowLike = Pick<BrowserWindow, 'on' | 'once' | 'show' | 'hide' | 'focus' | 'isVisible' | 'isMinimized' | 'restore' | 'isDestroyed' | 'loadFile'> & {
  webContents: Pick<BrowserWindow['webContents'], 'send' | 'once'>;
};

export interface MainWindowDeps {
  createWindow(options: BrowserWindowConstructorOptions): WindowLike;
  preloadPath: string;
  /** dist/renderer/index.html */
  entryFile: string;
  iconPath?: string;
  isQuitting(): boolean;
  /** macOS: app.dock. Absent elsewhere. */
  dock?: { show(): Promise<void> | void; hide(): void };
}

export interface MainWindowHandle {
  show(): void;
  /** Pushes an event to the page; queued until the page has loaded. */
  send(event: BridgeEvent): void;
  isVisible(): boolean;
}

/** Asserted by a test: one override here would undo Electron's safe defaults. */
export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
  };
}

export function createMainWindow(deps: MainWindowDeps): MainWindowHandle {
  let window: WindowLike | null = null;
  let loaded = false;
  const pending: BridgeEvent[] = [];

  const open = (): WindowLike => {
    if (window && !window.isDestroyed()) return window;
    loaded = false;
    const created = deps.createWindow({
      width: 1100,
      height: 740,
      minWidth: 760,
      minHeight: 520,
      show: false,
      title: 'Switchboard',
      ...(deps.iconPath ? { icon: deps.iconPath } : {}),
      webPreferences: secureWebPreferences(deps.preloadPath),
    });
    created.on('close', (event) => {
      // Closing hides to the tray; only Quit (tray or app menu) really closes.
      if (deps.isQuitting()) return;
      event.preventDefault();
      created.hide();
    });
    created.on('hide', () => deps.dock?.hide());
    created.on('show', () => void deps.dock?.show());
    created.webContents.once('did-finish-load', () => {
      loaded = true;
      pending.splice(0).forEach((event) => created.webContents.send(EVENT_CHANNEL, event));
    });
    void created.loadFile(deps.entryFile);
    window = created;
    return created;
  };

  return {
    show() {
      const target = open();
      if (target.isMinimized()) target.restore();
      target.show();
      target.focus();
    },
    send(event) {
      if (!window || window.isDestroyed()) return;
      if (loaded) window.webContents.send(EVENT_CHANNEL, event);
      else pending.push(event);
    },
    isVisible: () => Boolean(window && !window.isDestroyed() && window.isVisible()),
  };
}
