// @vitest-environment node
import type { Menu, MenuItemConstructorOptions, NativeImage } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTray } from '../../src-main/tray/tray.ts';
import { createTrayActionHandler } from '../../src-main/tray/tray-actions.ts';
import type { TrayAction, TrayState } from '../../src-main/tray/tray-menu.ts';
import { DEFAULT_SETTINGS } from '../../src-proxy/control/contract.ts';
import { FakeTray, Menu as FakeMenu, electronFake, nativeImage, resetElectronFake } from './fake-electron.ts';
import { statusOf } from './fake-gateway.ts';

beforeEach(resetElectronFake);

function setup(platform: NodeJS.Platform, state: TrayState) {
  let current = state;
  const actions: TrayAction[] = [];
  const handle = createTray({
    createTray: (image) => new FakeTray(image) as never,
    buildMenu: (template) => FakeMenu.buildFromTemplate(template) as unknown as Menu,
    loadImage: (file) => nativeImage.createFromPath(file) as unknown as NativeImage,
    assetsDir: '/assets',
    platform,
    getState: () => current,
    onAction: (action) => actions.push(action),
  });
  const tray = electronFake.trays[0] as FakeTray;
  return { handle, tray, actions, set: (next: TrayState) => (current = next) };
}

const running: TrayState = { status: statusOf('running'), recent: [], launchAtLogin: false, now: 0 };

describe('tray', () => {
  it('on Linux always uses the context menu, and clicking the icon does nothing else', () => {
    const { tray } = setup('linux', running);
    expect(tray.menu?.items.length).toBeGreaterThan(5);
    expect(tray.listenerCount('click')).toBe(0);
    expect(tray.image).toEqual({ path: '/assets/tray/running-linux.png' });
  });

  it('on Windows opens the window on a left click', () => {
    const { tray, actions } = setup('win32', running);
    tray.emit('click');
    expect(actions).toEqual([{ type: 'open-window' }]);
  });

  it('swaps the icon and tooltip when the state changes, and menu clicks dispatch actions', () => {
    const { tray, handle, set, actions } = setup('darwin', running);
    set({ ...running, status: statusOf('error', { error: { code: 'port_in_use', message: 'busy' } }) });
    handle.refresh();
    expect(tray.image).toEqual({ path: '/assets/tray/errorTemplate.png' });
    expect(tray.tooltip).toContain('error');
    const items = tray.menu?.items as MenuItemConstructorOptions[];
    items.find((item) => item.label === 'Start proxy')?.click?.({} as never, undefined, {} as never);
    expect(actions).toEqual([{ type: 'start' }]);
    handle.destroy();
    expect(tray.destroyed).toBe(true);
  });
});

describe('tray actions', () => {
  function actionDeps() {
    return {
      controller: { start: vi.fn(async () => statusOf('running')), stop: vi.fn(async () => statusOf('stopped')) },
      window: { show: vi.fn(), send: vi.fn() },
      writeClipboard: vi.fn(),
      getSettings: () => ({ ...DEFAULT_SETTINGS, launchAtLogin: false }),
      updateSettings: vi.fn(async () => DEFAULT_SETTINGS),
      openLogsFolder: vi.fn(async () => undefined),
      quit: vi.fn(),
      onError: vi.fn(),
    };
  }

  it('opens the clicked history entry in the window', () => {
    const deps = actionDeps();
    createTrayActionHandler(deps)({ type: 'open-history', id: 'req-1' });
    expect(deps.window.show).toHaveBeenCalled();
    expect(deps.window.send).toHaveBeenCalledWith({ type: 'navigate', to: { page: 'history', id: 'req-1' } });
  });

  it('copies endpoints, toggles launch at login through the settings, and quits', async () => {
    const deps = actionDeps();
    const run = createTrayActionHandler(deps);
    run({ type: 'copy', text: 'http://127.0.0.1:11434/v1' });
    run({ type: 'toggle-launch-at-login' });
    run({ type: 'quit' });
    await Promise.resolve();
    expect(deps.writeClipboard).toHaveBeenCalledWith('http://127.0.0.1:11434/v1');
    expect(deps.updateSettings).toHaveBeenCalledWith({ launchAtLogin: true });
    expect(deps.quit).toHaveBeenCalled();
  });

  it('reports a failing action instead of dropping it', async () => {
    const deps = actionDeps();
    deps.controller.start.mockRejectedValueOnce(new Error('boom'));
    createTrayActionHandler(deps)({ type: 'start' });
    await vi.waitFor(() => expect(deps.onError).toHaveBeenCalledWith({ type: 'start' }, expect.any(Error)));
  });
});
