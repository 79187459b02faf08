// @vitest-environment node
import type { App } from 'electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createShellState } from '../../src-main/shell-state.ts';
import { createDesktopPrefs } from '../../src-main/system/desktop-prefs.ts';
import { AUTOSTART_FILE, autostartEntry, createLoginItem } from '../../src-main/system/login-item.ts';
import { LOG_FILE_NAME, createMainLogger, redactQueryKey } from '../../src-main/system/logging.ts';
import { createNotifier, notificationsFor } from '../../src-main/system/notifications.ts';
import { app, electronFake, resetElectronFake } from './fake-electron.ts';
import { statusOf } from './fake-gateway.ts';

const CANARY = 'sk-CANARY-LOG-0e9d';
let dir: string;
beforeEach(() => {
  resetElectronFake();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-main-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('logs', () => {
  it('redact every header that can carry a key or token, and key= in URLs', () => {
    const logger = createMainLogger({ logsDir: dir, sync: true });
    const headers = { authorization: `Bearer ${CANARY}`, 'x-api-key': CANARY, 'api-key': CANARY, 'x-goog-api-key': CANARY, 'content-type': 'application/json' };
    logger.info({ headers }, 'top level');
    logger.info({ req: { headers } }, 'request');
    logger.info({ upstream: { request: { headers } } }, 'nested');
    logger.info({ url: `https://generativelanguage.googleapis.com/v1beta/models?key=${CANARY}&alt=sse` }, 'url');
    logger.info({ secret: CANARY, provider: { apiKey: CANARY } }, 'fields');
    const text = fs.readFileSync(path.join(dir, LOG_FILE_NAME), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(5);
    expect(text).not.toContain(CANARY);
    expect(text).toContain('application/json');
    expect(redactQueryKey('https://x/y?alt=sse&key=abc#f')).toBe('https://x/y?alt=sse&key=[redacted]#f');
  });
});

describe('notifications', () => {
  it('are said once per problem per interval, never per request', () => {
    let now = 0;
    const shown: string[] = [];
    const notifier = createNotifier({ show: (title) => shown.push(title), isSupported: () => true, now: () => now, minIntervalMs: 1000 });
    const rows = Array.from({ length: 20 }, (_, i) => ({ id: String(i), provider: 'openai', errorCode: 'upstream_auth_failed' }) as never);
    for (const request of notificationsFor({ type: 'requests', rows })) notifier.notify(request);
    expect(shown).toEqual(['openai rejected its key']);
    now = 1500;
    for (const request of notificationsFor({ type: 'requests', rows: [{ provider: 'openai', errorCode: 'key_pool_exhausted' } as never, rows[0]] })) notifier.notify(request);
    expect(shown).toEqual(['openai rejected its key', 'Every openai key is cooling down', 'openai rejected its key']);
  });

  it('tell when the proxy could not start, and nothing for a normal state change', () => {
    expect(notificationsFor({ type: 'error', code: 'port_in_use', message: 'Port busy.', status: statusOf('error') })).toEqual([
      { key: 'start:port_in_use', title: 'Switchboard could not start the proxy', body: 'Port busy.' },
    ]);
    expect(notificationsFor({ type: 'running', status: statusOf('running') })).toEqual([]);
  });
});

describe('launch at login', () => {
  it('on Linux writes and removes an XDG autostart entry', () => {
    const item = createLoginItem({ app: app as unknown as App, platform: 'linux', autostartDir: path.join(dir, 'autostart'), executable: '/opt/Switch board/switchboard' });
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(true);
    const entry = fs.readFileSync(path.join(dir, 'autostart', AUTOSTART_FILE), 'utf8');
    expect(entry).toContain('Exec="/opt/Switch board/switchboard" --hidden');
    expect(item.isEnabled()).toBe(true);
    item.setEnabled(false);
    expect(item.isEnabled()).toBe(false);
    expect(autostartEntry('/a/"$b')).toContain('Exec="/a/\\"\\$b"');
  });

  it('on macOS and Windows uses the OS login items', () => {
    const item = createLoginItem({ app: app as unknown as App, platform: 'win32', autostartDir: dir, executable: 'x' });
    item.setEnabled(true);
    expect(electronFake.loginItem).toMatchObject({ openAtLogin: true, args: ['--hidden'] });
    expect(item.isEnabled()).toBe(true);
  });
});

describe('desktop prefs and shell state', () => {
  it('remember the first-run port choice and the basic_text opt-in across restarts', () => {
    const file = path.join(dir, 'desktop.json');
    createDesktopPrefs({ file }).update({ portChosen: true });
    expect(createDesktopPrefs({ file }).get()).toEqual({ portChosen: true, insecureStorageOptIn: false });
    fs.writeFileSync(file, '{broken');
    const invalid = vi.fn();
    expect(createDesktopPrefs({ file, onInvalid: invalid }).get()).toEqual({ portChosen: false, insecureStorageOptIn: false });
    expect(invalid).toHaveBeenCalled();
  });

  it('tells the window about storage, notices and opt-in, and refuses unsafe links', async () => {
    const prefs = createDesktopPrefs({ file: path.join(dir, 'desktop.json') });
    const shell = createShellState({
      platform: 'linux',
      logsDir: dir,
      cipher: { backend: () => 'basic_text', isAvailable: () => prefs.get().insecureStorageOptIn, isInsecureBackend: () => true },
      prefs,
      openExternalSafely: async (url) => url.startsWith('https:'),
      openPath: async () => '',
      relay: async () => ({ status: 200, contentType: null, body: '' }),
    });
    const seen = vi.fn();
    shell.subscribe(seen);
    expect((await shell.api.getShellState(undefined)).secretStorage).toEqual({ backend: 'basic_text', available: false, insecure: true, optedIn: false });
    expect((await shell.api.setInsecureStorageOptIn({ optIn: true })).secretStorage.available).toBe(true);
    shell.set({ notice: { kind: 'port-changed', from: 1, to: 2, reason: 'r' } });
    expect((await shell.api.dismissNotice(undefined)).notice).toBeNull();
    expect(seen).toHaveBeenCalledTimes(3);
    await expect(shell.api.openExternal({ url: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
