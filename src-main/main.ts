/**
 * The Electron main process: the composition root. It only wires modules together — each one
 * takes its collaborators as arguments and is tested on its own under plain Node.
 */
import { BrowserWindow, Menu, Notification, Tray, app, clipboard, dialog, ipcMain, nativeImage, safeStorage, session, shell } from 'electron';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { request } from 'undici';
import { createGateway } from '../src-proxy/create-gateway.ts';
import { createGatewayRelay } from './gateway-relay.ts';
import { registerControlHandlers } from './ipc/control-handlers.ts';
import { createDesktopControl } from './ipc/desktop-control.ts';
import { forwardControlEvents } from './ipc/event-forwarder.ts';
import { isTrustedSender } from './ipc/sender-check.ts';
import { claimSingleInstance } from './lifecycle/single-instance.ts';
import { registerQuitDrain } from './lifecycle/quit-drain.ts';
import { launchProxy } from './proxy/launch-proxy.ts';
import { createProxyController } from './proxy/proxy-controller.ts';
import { createOllamaProbe, isPortFree } from './proxy/port-probe.ts';
import { createSafeStorageCipher } from './secrets.ts';
import { createShellState } from './shell-state.ts';
import { createDesktopPrefs } from './system/desktop-prefs.ts';
import { createLoginItem, HIDDEN_FLAG } from './system/login-item.ts';
import { createMainLogger } from './system/logging.ts';
import { createLogTail } from '../src-proxy/log-tail.ts';
import { createNotifier, notificationsFor } from './system/notifications.ts';
import { createTray } from './tray/tray.ts';
import { createTrayActionHandler } from './tray/tray-actions.ts';
import { RECENT_LIMIT } from './tray/tray-menu.ts';
import { createMainWindow, type MainWindowHandle } from './window/main-window.ts';
import { createOpenExternalSafely } from './window/open-external.ts';
import { hardenSession, hardenWebContents } from './window/web-security.ts';

const PREFERRED_PORTS = [11434, 11435] as const;
const here = path.dirname(fileURLToPath(import.meta.url)); // dist/main
const appRoot = app.getAppPath();
const entryFile = path.join(appRoot, 'dist', 'renderer', 'index.html');
const assetsDir = path.join(appRoot, 'assets');
let mainWindow: MainWindowHandle | null = null;

if (claimSingleInstance({ app, onSecondInstance: () => mainWindow?.show() })) {
  app.whenReady().then(boot).catch((error: unknown) => {
    // Nothing is wired yet (no logger, no window): the OS dialog is the only way to tell the user.
    dialog.showErrorBox('Switchboard could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

async function boot(): Promise<void> {
  const platform = process.platform;
  const dataDir = app.getPath('userData');
  const logsDir = app.getPath('logs');
  const logTail = createLogTail();
  const logger = createMainLogger({ logsDir, tail: logTail });
  const prefs = createDesktopPrefs({ file: path.join(dataDir, 'desktop.json'), onInvalid: (err) => logger.warn({ err }, 'desktop.json unreadable; defaults used') });
  const cipher = createSafeStorageCipher({ safeStorage, platform, insecureOptIn: () => prefs.get().insecureStorageOptIn });
  // The desktop app follows the system proxy unless the user turned it off (settings.useSystemProxy).
  const gateway = await createGateway({ dataDir, cipher, logger, logTail, version: app.getVersion(), systemProxyByDefault: true });
  const controller = createProxyController({ gateway, onCloseError: (err) => logger.error({ err }, 'closing the engine failed') });
  const openExternalSafely = createOpenExternalSafely({
    openExternal: (url) => shell.openExternal(url),
    onRefused: (url) => logger.warn({ scheme: url.split(':')[0] }, 'refused to open a non-https link'),
  });
  const relay = createGatewayRelay({
    port: () => (gateway.status().state === 'running' ? gateway.status().port : null),
    request: async (url, init) => {
      const response = await request(url, { method: init.method as 'GET', headers: init.headers, body: init.body, headersTimeout: 120_000, bodyTimeout: 120_000 });
      const contentType = response.headers['content-type'];
      return { status: response.statusCode, contentType: typeof contentType === 'string' ? contentType : null, body: await response.body.text() };
    },
  });
  const shellState = createShellState({ platform, logsDir, cipher, prefs, openExternalSafely, openPath: (dir) => shell.openPath(dir), relay });
  const loginItem = createLoginItem({
    app,
    platform,
    autostartDir: path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'autostart'),
    executable: process.env.APPIMAGE ?? process.execPath,
  });
  const quit = registerQuitDrain({
    app,
    controller,
    drainTimeoutMs: () => gateway.store.settings.get().drainTimeoutMs,
    onDrained: (outcome) => logger.info({ outcome }, 'proxy drained; quitting'),
  });

  const appEntryUrl = pathToFileURL(entryFile).href;
  hardenSession(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { appEntryUrl, openExternalSafely }));
  if (platform === 'darwin') app.dock?.hide(); // menu-bar app: a Dock icon only while the window shows
  const window = createMainWindow({
    createWindow: (options) => new BrowserWindow(options),
    preloadPath: path.join(here, 'preload.cjs'),
    entryFile,
    iconPath: path.join(assetsDir, 'icon.png'),
    isQuitting: quit.isQuitting,
    ...(platform === 'darwin' && app.dock ? { dock: app.dock } : {}),
  });
  mainWindow = window;

  const control = createDesktopControl({
    control: gateway.control,
    controller,
    store: gateway.store,
    cipher,
    loginItem,
    onSettingsChanged: (settings) => {
      if (shellState.get().portConflict?.port !== settings.port) shellState.set({ portConflict: null });
      tray.refresh();
    },
  });
  registerControlHandlers({ ipcMain, control, desktop: shellState.api, isTrustedSender: (frame) => isTrustedSender(frame, appEntryUrl), logger });
  forwardControlEvents({ events: gateway.events, send: (event) => window.send(event) });
  shellState.subscribe((state) => window.send({ type: 'shell', shell: state }));

  const notifier = createNotifier({
    show: (title, body) => new Notification({ title, body }).show(),
    isSupported: () => Notification.isSupported(),
    now: Date.now,
  });
  const onTrayAction = createTrayActionHandler({
    controller,
    window,
    writeClipboard: (text) => clipboard.writeText(text),
    getSettings: () => gateway.store.settings.get(),
    updateSettings: (patch) => control.updateSettings(patch),
    openLogsFolder: () => shellState.api.openLogsFolder(undefined),
    quit: () => app.quit(),
    onError: (action, err) => logger.error({ action: action.type, err }, 'tray action failed'),
  });
  const tray = createTray({
    createTray: (image) => new Tray(image),
    buildMenu: (template) => Menu.buildFromTemplate(template),
    loadImage: (file) => nativeImage.createFromPath(file),
    assetsDir,
    platform,
    getState: () => ({
      status: controller.status(),
      // The desktop's store is SQLite, which answers at once (only a team store's answer is a Promise).
      recent: recentRows(gateway.store.history.latest(RECENT_LIMIT)),
      launchAtLogin: gateway.store.settings.get().launchAtLogin,
      now: Date.now(),
    }),
    onAction: onTrayAction,
  });
  controller.subscribe((event) => {
    tray.refresh();
    notificationsFor(event).forEach((request) => notifier.notify(request));
  });

  const identify = createOllamaProbe();
  const outcome = await launchProxy({
    getSettings: () => gateway.store.settings.get(),
    saveSettings: (patch) => void gateway.store.settings.update(patch),
    listProviders: () => gateway.store.providers.list(),
    portChosen: () => prefs.get().portChosen,
    markPortChosen: () => void prefs.update({ portChosen: true }),
    start: () => controller.start(),
    isFree: (port) => isPortFree(port),
    identify,
    preferredPorts: PREFERRED_PORTS,
  });
  shellState.set({ notice: outcome.notice, portConflict: outcome.portConflict, detectedOllama: outcome.detectedOllama });
  // Started at login: stay in the tray unless something needs the user.
  const startedAtLogin = process.argv.includes(HIDDEN_FLAG) || (platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
  if (outcome.needsWindow || !startedAtLogin) window.show();
}

function recentRows<T>(rows: T[] | Promise<T[]>): T[] {
  return Array.isArray(rows) ? rows : [];
}
