// @vitest-environment node
/**
 * The composition root end to end: src-main/main.ts boots against the fake electron module and
 * the real engine (temp data folder, a random free port), serves IPC to its own window, shows
 * the state in the tray, and drains on quit.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import { CONTROL_CHANNELS, DESKTOP_CHANNELS, type BridgeResult } from '../../src-main/ipc/channels.ts';
import type { ProxyStatus } from '../../src-proxy/control/contract.ts';
import { createSafeStorageCipher } from '../../src-main/secrets.ts';
import { app, electronFake, ipcMain, resetElectronFake, safeStorage, type FakeBrowserWindow, type FakeTray } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

let root: string;
let port: number;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return free;
}

beforeAll(async () => {
  resetElectronFake();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-boot-'));
  const userData = path.join(root, 'userData');
  port = await freePort();
  // A returning user: the port was chosen on an earlier run (so no 11434 probing here).
  const cipher = createSafeStorageCipher({ safeStorage, platform: 'darwin', insecureOptIn: () => false });
  const seed = await createGateway({ dataDir: userData, cipher });
  seed.store.settings.update({ port });
  await seed.close();
  fs.writeFileSync(path.join(userData, 'desktop.json'), JSON.stringify({ portChosen: true }));
  Object.assign(electronFake.paths, { userData, logs: path.join(root, 'logs') });
  electronFake.appPath = process.cwd();
  await import('../../src-main/main.ts');
  await vi.waitFor(() => expect(electronFake.trays[0]?.tooltip).toContain('running'), { timeout: 10_000 });
});

afterAll(() => {
  if (process.env.KEEP_BOOT_DIR) console.log(root);
  else fs.rmSync(root, { recursive: true, force: true });
});

describe('main process boot', () => {
  it('starts the proxy on the saved port and shows it in the tray', async () => {
    const tray = electronFake.trays[0] as FakeTray;
    const items = tray.menu?.items as MenuItemConstructorOptions[];
    expect(items[0]?.label).toBe(`Running on 127.0.0.1:${port}`);
    const response = await fetch(`http://127.0.0.1:${port}/api/version`);
    expect(response.status).toBeLessThan(500);
  });

  it('opens the window (onboarding is not finished) and answers IPC from it only', async () => {
    const window = electronFake.windows[0] as FakeBrowserWindow;
    expect(window.visible).toBe(true);
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    const frame = window.webContents.mainFrame;
    const status = (await ipcMain.invokeFrom(frame, CONTROL_CHANNELS.getStatus, {})) as BridgeResult<ProxyStatus>;
    expect(status).toMatchObject({ ok: true, value: { state: 'running', port } });
    const foreign = (await ipcMain.invokeFrom({ url: 'https://evil.example', parent: null }, CONTROL_CHANNELS.getStatus, {})) as BridgeResult<unknown>;
    expect(foreign.ok).toBe(false);
  });

  it("lets the window reach its own gateway's client routes through main, and nothing else", async () => {
    const frame = (electronFake.windows[0] as FakeBrowserWindow).webContents.mainFrame;
    const version = (await ipcMain.invokeFrom(frame, DESKTOP_CHANNELS.gatewayRequest, { method: 'GET', path: '/api/version' })) as BridgeResult<{ status: number; body: string }>;
    expect(version).toMatchObject({ ok: true, value: { status: 200 } });
    expect(JSON.parse((version as { value: { body: string } }).value.body).version).toMatch(/^\d+\.\d+\.\d+$/);
    const noToken = (await ipcMain.invokeFrom(frame, DESKTOP_CHANNELS.gatewayRequest, { method: 'GET', path: '/v1/models' })) as BridgeResult<{ status: number }>;
    expect(noToken).toMatchObject({ ok: true, value: { status: 401 } });
    const control = (await ipcMain.invokeFrom(frame, DESKTOP_CHANNELS.gatewayRequest, { method: 'POST', path: '/_switchboard/api/exportConfig', body: '{}' })) as BridgeResult<unknown>;
    expect(control.ok).toBe(false);
  });

  it('hides to the tray on close and drains the proxy on quit', async () => {
    const window = electronFake.windows[0] as FakeBrowserWindow;
    window.close();
    expect(window.visible).toBe(false);
    app.quit();
    await vi.waitFor(() => expect(electronFake.exited).toBe(0), { timeout: 15_000 });
    await expect(fetch(`http://127.0.0.1:${port}/api/version`)).rejects.toThrow();
    expect(fs.readdirSync(path.join(root, 'logs'))).toContain('switchboard.log');
  });
});
