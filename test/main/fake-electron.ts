/**
 * A fake `electron` module for main-process tests under plain Node (the real binary cannot run
 * here). Tests either pass these objects to a module's injected deps, or, for files that import
 * `electron` directly (preload.ts), use: vi.mock('electron', () => import('./fake-electron.ts')).
 * Call resetElectronFake() in beforeEach: every object keeps what it recorded until then.
 */
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

const state = {
  lockAvailable: true,
  exited: null as number | null,
  quitCount: 0,
  loginItem: { openAtLogin: false } as Record<string, unknown>,
  encryptionAvailable: true,
  backend: 'gnome_libsecret' as string,
  exposed: {} as Record<string, unknown>,
  openedExternal: [] as string[],
  openedPaths: [] as string[],
  clipboard: [] as string[],
  errorBoxes: [] as Array<{ title: string; content: string }>,
  notifications: [] as FakeNotification[],
  trays: [] as FakeTray[],
  windows: [] as FakeBrowserWindow[],
  /** app.getPath answers; unset names answer /fake/<name>. */
  paths: {} as Record<string, string>,
  appPath: '/fake/app',
};

/** A preventable event object as Electron passes to listeners. */
export function preventable(): { defaultPrevented: boolean; preventDefault(): void } {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

class FakeApp extends EventEmitter {
  readonly dock = { visible: false, show: async () => void (this.dock.visible = true), hide: () => void (this.dock.visible = false) };
  requestSingleInstanceLock = () => state.lockAvailable;
  /** Like Electron: before-quit listeners may cancel; otherwise the app is gone. */
  quit = () => {
    state.quitCount += 1;
    const event = preventable();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) state.exited = 0;
  };
  exit = (code = 0) => void (state.exited = code);
  getPath = (name: string) => state.paths[name] ?? `/fake/${name}`;
  getAppPath = () => state.appPath;
  getVersion = () => '0.0.0-test';
  whenReady = () => Promise.resolve();
  setLoginItemSettings = (settings: Record<string, unknown>) => void (state.loginItem = { ...settings });
  getLoginItemSettings = () => ({ openAtLogin: Boolean(state.loginItem.openAtLogin), wasOpenedAtLogin: false });
  /** Simulates a second launch of the app. */
  launchSecondInstance() {
    this.emit('second-instance', preventable(), [], '/');
  }
}

export class FakeTray extends EventEmitter {
  image: unknown;
  tooltip = '';
  menu: { items: unknown[] } | null = null;
  destroyed = false;
  constructor(image: unknown) {
    super();
    this.image = image;
    state.trays.push(this);
  }
  setImage(image: unknown) {
    this.image = image;
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: { items: unknown[] } | null) {
    this.menu = menu;
  }
  destroy() {
    this.destroyed = true;
  }
}

class FakeWebContents extends EventEmitter {
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  readonly mainFrame: FakeFrame = { url: 'about:blank', parent: null };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = false;
  destroyed = false;
  loadedFile: string | null = null;
  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    state.windows.push(this);
  }
  async loadFile(file: string) {
    this.loadedFile = file;
    this.webContents.mainFrame.url = `file://${file}`;
    queueMicrotask(() => this.webContents.emit('did-finish-load'));
  }
  show() {
    this.visible = true;
    this.emit('show');
  }
  hide() {
    this.visible = false;
    this.emit('hide');
  }
  focus() {
    this.focused = true;
  }
  isVisible = () => this.visible;
  isMinimized = () => false;
  restore() {}
  isDestroyed = () => this.destroyed;
  /** What the user's click on the close button does. */
  close() {
    const event = preventable();
    this.emit('close', event);
    if (!event.defaultPrevented) {
      this.destroyed = true;
      this.emit('closed');
    }
  }
}

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** Calls a handler the way a renderer's ipcRenderer.invoke would, from the given frame. */
  async invokeFrom(frame: FakeFrame | null, channel: string, payload?: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: frame, sender: {} }, payload);
  }
}

class FakeIpcRenderer extends EventEmitter {
  readonly invoked: Array<{ channel: string; payload: unknown }> = [];
  reply: unknown = { ok: true, value: null };
  async invoke(channel: string, payload: unknown) {
    this.invoked.push({ channel, payload });
    return this.reply;
  }
}

export class FakeNotification {
  static isSupported = () => true;
  shown = false;
  constructor(readonly options: { title: string; body: string }) {
    state.notifications.push(this);
  }
  show() {
    this.shown = true;
  }
}

function fakeSession() {
  return {
    permissionRequestHandler: null as null | ((...args: unknown[]) => void),
    permissionCheckHandler: null as null | ((...args: unknown[]) => boolean),
    headersHandler: null as null | ((details: unknown, callback: (response: unknown) => void) => void),
    setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      this.permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived: (handler: (details: unknown, callback: (response: unknown) => void) => void) => {
        session.defaultSession.headersHandler = handler;
      },
    },
  };
}

/** A reversible scramble: enough to prove ciphertext never equals or contains the plaintext. */
function scramble(buffer: Buffer): Buffer {
  return Buffer.from(buffer.map((byte) => byte ^ 0x5a));
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const BrowserWindow = FakeBrowserWindow;
export const Tray = FakeTray;
export const Notification = FakeNotification;
export const Menu = { buildFromTemplate: (items: unknown[]) => ({ items }) };
export const nativeImage = { createFromPath: (path: string) => ({ path }) };
export const shell = {
  openExternal: async (url: string) => void state.openedExternal.push(url),
  openPath: async (path: string) => {
    state.openedPaths.push(path);
    return '';
  },
};
export const clipboard = { writeText: (text: string) => void state.clipboard.push(text) };
export const dialog = { showErrorBox: (title: string, content: string) => void state.errorBoxes.push({ title, content }) };
export const contextBridge = { exposeInMainWorld: (key: string, api: unknown) => void (state.exposed[key] = api) };
export const session = { defaultSession: fakeSession() };
export const safeStorage = {
  isEncryptionAvailable: () => state.encryptionAvailable,
  getSelectedStorageBackend: () => state.backend as 'basic_text',
  encryptString: (plaintext: string) => Buffer.concat([Buffer.from('v10'), scramble(Buffer.from(plaintext, 'utf8'))]),
  decryptString: (ciphertext: Buffer) => {
    if (ciphertext.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return scramble(ciphertext.subarray(3)).toString('utf8');
  },
};

/** What the fake recorded, and knobs to set before a test. */
export const electronFake = state;

export function resetElectronFake(): void {
  Object.assign(state, {
    lockAvailable: true,
    exited: null,
    quitCount: 0,
    loginItem: { openAtLogin: false },
    encryptionAvailable: true,
    backend: 'gnome_libsecret',
    exposed: {},
    openedExternal: [],
    openedPaths: [],
    clipboard: [],
    errorBoxes: [],
    notifications: [],
    trays: [],
    windows: [],
    paths: {},
    appPath: '/fake/app',
  });
  app.removeAllListeners();
  app.dock.visible = false;
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
  ipcRenderer.reply = { ok: true, value: null };
  session.defaultSession = fakeSession();
}

export default { app, ipcMain, ipcRenderer, BrowserWindow, Tray, Notification, Menu, nativeImage, shell, clipboard, dialog, contextBridge, session, safeStorage };
