// @vitest-environment node
/**
 * Main → preload → page, with the fake electron: every event main pushes (the engine's, the
 * shell's, the tray's navigation) reaches a page listener as one `BridgeEvent` — the same type
 * the renderer's client takes (src-renderer/api/types.ts), so a kind added here must be handled
 * there (test/renderer/desktop-shell.test.tsx shows the page doing so).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BridgeEvent, SwitchboardBridge } from '../../src-main/ipc/channels.ts';
import { EVENT_CHANNEL } from '../../src-main/ipc/channels.ts';
import { forwardControlEvents } from '../../src-main/ipc/event-forwarder.ts';
import { createShellState } from '../../src-main/shell-state.ts';
import { createDesktopPrefs } from '../../src-main/system/desktop-prefs.ts';
import { createTrayActionHandler } from '../../src-main/tray/tray-actions.ts';
import { createMainWindow } from '../../src-main/window/main-window.ts';
import { createControlEvents } from '../../src-proxy/control/events.ts';
import { DEFAULT_SETTINGS } from '../../src-proxy/control/contract.ts';
import { FakeBrowserWindow, electronFake, ipcRenderer } from './fake-electron.ts';
import { statusOf } from './fake-gateway.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

let bridge: SwitchboardBridge;
let dir: string;
beforeAll(async () => {
  await import('../../src-main/preload.ts');
  bridge = electronFake.exposed.switchboard as SwitchboardBridge;
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bridge-'));
});
afterEach(() => {
  ipcRenderer.removeAllListeners();
  fs.rmSync(dir, { recursive: true, force: true });
});

function wire() {
  const created: FakeBrowserWindow[] = [];
  const window = createMainWindow({
    createWindow: (options) => {
      const fake = new FakeBrowserWindow(options as Record<string, unknown>);
      // What Electron does with webContents.send: the page's ipcRenderer gets it on that channel.
      const send = fake.webContents.send.bind(fake.webContents);
      fake.webContents.send = (channel: string, ...args: unknown[]) => {
        send(channel, ...args);
        ipcRenderer.emit(channel, { sender: 'ipc-event-not-for-the-page' }, ...args);
      };
      created.push(fake);
      return fake as never;
    },
    preloadPath: '/preload.cjs',
    entryFile: '/index.html',
    isQuitting: () => false,
  });
  const prefs = createDesktopPrefs({ file: path.join(dir, 'desktop.json') });
  const shell = createShellState({
    platform: 'linux',
    logsDir: dir,
    cipher: { backend: () => 'basic_text', isAvailable: () => prefs.get().insecureStorageOptIn, isInsecureBackend: () => true },
    prefs,
    openExternalSafely: async () => true,
    openPath: async () => '',
    relay: async () => ({ status: 200, contentType: null, body: '' }),
  });
  const events = createControlEvents();
  forwardControlEvents({ events, send: (event) => window.send(event), batchMs: 1 });
  shell.subscribe((state) => window.send({ type: 'shell', shell: state }));
  const tray = createTrayActionHandler({
    controller: { start: async () => statusOf('running'), stop: async () => statusOf('stopped') },
    window,
    writeClipboard: () => undefined,
    getSettings: () => DEFAULT_SETTINGS,
    updateSettings: async () => DEFAULT_SETTINGS,
    openLogsFolder: async () => undefined,
    quit: () => undefined,
    onError: (_action, error) => {
      throw error;
    },
  });
  return { window, shell, events, tray, created };
}

describe('events main pushes to the window', () => {
  it('reach the page listener as BridgeEvents: engine status, shell state, tray navigation', async () => {
    const { window, shell, events, tray } = wire();
    const received: BridgeEvent[] = [];
    const unsubscribe = bridge.onEvent((event) => received.push(event));
    window.show();
    events.emit({ type: 'status', status: statusOf('running') });
    shell.set({ notice: { kind: 'port-changed', from: 11434, to: 11435, reason: 'Ollama 0.6.2 already uses port 11434.' } });
    tray({ type: 'open-history', id: 'req_42' });
    tray({ type: 'change-port' });
    await vi.waitFor(() => expect(received.map((event) => event.type)).toEqual(['status', 'shell', 'navigate', 'navigate']));
    const shellEvent = received[1] as Extract<BridgeEvent, { type: 'shell' }>;
    expect(shellEvent.shell.notice?.to).toBe(11435);
    expect(shellEvent.shell.secretStorage).toMatchObject({ insecure: true, optedIn: false });
    expect(received.slice(2)).toEqual([
      { type: 'navigate', to: { page: 'history', id: 'req_42' } },
      { type: 'navigate', to: { page: 'settings', section: 'port' } },
    ]);
    unsubscribe();
  });

  it('are held until the page has loaded, then delivered in order', async () => {
    const { window, shell, created } = wire();
    window.show();
    shell.set({ portConflict: { port: 11434, occupant: 'unknown', ollamaVersion: null } });
    expect(created[0]!.webContents.sent).toEqual([]);
    const received: BridgeEvent[] = [];
    const unsubscribe = bridge.onEvent((event) => received.push(event));
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(created[0]!.webContents.sent[0]!.channel).toBe(EVENT_CHANNEL);
    expect((received[0] as Extract<BridgeEvent, { type: 'shell' }>).shell.portConflict?.port).toBe(11434);
    unsubscribe();
  });
});
