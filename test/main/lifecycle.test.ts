// @vitest-environment node
import type { App } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { claimSingleInstance } from '../../src-main/lifecycle/single-instance.ts';
import { registerQuitDrain } from '../../src-main/lifecycle/quit-drain.ts';
import { createProxyController } from '../../src-main/proxy/proxy-controller.ts';
import { createMainWindow } from '../../src-main/window/main-window.ts';
import { FakeBrowserWindow, app, electronFake, resetElectronFake } from './fake-electron.ts';
import { createFakeGateway } from './fake-gateway.ts';

beforeEach(resetElectronFake);

const fakeApp = app as unknown as App;

function windowWith(isQuitting: () => boolean) {
  return createMainWindow({
    createWindow: (options) => new FakeBrowserWindow(options as Record<string, unknown>) as never,
    preloadPath: '/app/dist/main/preload.cjs',
    entryFile: '/app/dist/renderer/index.html',
    isQuitting,
    dock: app.dock,
  });
}

describe('window lifecycle', () => {
  it('closing the window hides it to the tray and hides the Dock icon', () => {
    const window = windowWith(() => false);
    window.show();
    const created = electronFake.windows[0] as FakeBrowserWindow;
    expect(app.dock.visible).toBe(true);
    created.close();
    expect(created.destroyed).toBe(false);
    expect(window.isVisible()).toBe(false);
    expect(app.dock.visible).toBe(false);
  });

  it('really closes once the app is quitting', () => {
    const window = windowWith(() => true);
    window.show();
    const created = electronFake.windows[0] as FakeBrowserWindow;
    created.close();
    expect(created.destroyed).toBe(true);
  });

  it('queues events until the page has loaded', async () => {
    const window = windowWith(() => false);
    window.show();
    window.send({ type: 'navigate', to: { page: 'history', id: 'x' } });
    const created = electronFake.windows[0] as FakeBrowserWindow;
    expect(created.webContents.sent).toHaveLength(0);
    await Promise.resolve();
    expect(created.webContents.sent).toEqual([{ channel: 'switchboard:event', args: [{ type: 'navigate', to: { page: 'history', id: 'x' } }] }]);
  });
});

describe('single instance', () => {
  it('a second launch shows and focuses the first window', () => {
    const window = windowWith(() => false);
    expect(claimSingleInstance({ app: fakeApp, onSecondInstance: () => window.show() })).toBe(true);
    app.launchSecondInstance();
    const created = electronFake.windows[0] as FakeBrowserWindow;
    expect(created.visible).toBe(true);
    expect(created.focused).toBe(true);
  });

  it('the second instance itself quits without starting anything', () => {
    electronFake.lockAvailable = false;
    const onSecond = vi.fn();
    expect(claimSingleInstance({ app: fakeApp, onSecondInstance: onSecond })).toBe(false);
    expect(electronFake.exited).toBe(0);
  });
});

describe('quit drains the proxy', () => {
  it('waits for the engine to close (drain, flush, close database) before quitting', async () => {
    const gateway = createFakeGateway({ closeMs: 30 });
    const controller = createProxyController({ gateway });
    const quit = registerQuitDrain({ app: fakeApp, controller, drainTimeoutMs: () => 1000, graceMs: 1000 });
    app.quit();
    expect(quit.isQuitting()).toBe(true);
    expect(electronFake.exited).toBeNull();
    expect(gateway.calls).toContain('close');
    await vi.waitFor(() => expect(electronFake.exited).toBe(0));
    expect(gateway.calls).toContain('closed');
  });

  it('quits at the deadline even when the engine never finishes closing', async () => {
    const gateway = createFakeGateway({ closeMs: Infinity });
    const controller = createProxyController({ gateway });
    const drained = vi.fn();
    registerQuitDrain({ app: fakeApp, controller, drainTimeoutMs: () => 40, graceMs: 20, onDrained: drained });
    const started = Date.now();
    app.quit();
    app.quit(); // a second Quit click while draining changes nothing
    await vi.waitFor(() => expect(electronFake.exited).toBe(0), { timeout: 2000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(drained).toHaveBeenCalledWith('deadline');
    expect(gateway.calls.filter((call) => call === 'close')).toHaveLength(1);
  });

  it('keeps the app alive when its last window closes (it lives in the tray)', () => {
    registerQuitDrain({ app: fakeApp, controller: { shutdown: vi.fn() }, drainTimeoutMs: () => 0 });
    expect(app.listenerCount('window-all-closed')).toBe(1);
  });
});
