// @vitest-environment node
import type { Session } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isTrustedSender } from '../../src-main/ipc/sender-check.ts';
import { secureWebPreferences } from '../../src-main/window/main-window.ts';
import { createOpenExternalSafely, isSafeExternalUrl } from '../../src-main/window/open-external.ts';
import { CONTENT_SECURITY_POLICY, hardenSession, hardenWebContents } from '../../src-main/window/web-security.ts';
import { FakeBrowserWindow, preventable, resetElectronFake, session } from './fake-electron.ts';

const ENTRY = 'file:///app/dist/renderer/index.html';
beforeEach(resetElectronFake);

describe('openExternalSafely', () => {
  it.each<[string, boolean]>([
    ['https://platform.openai.com/api-keys', true],
    ['https://console.anthropic.com/settings/keys?x=1#top', true],
    ['http://example.com', false],
    ['file:///etc/passwd', false],
    ['ms-settings:privacy', false],
    ['smb://server/share', false],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
    ['https://user:pass@evil.example', false],
    ['https://bank.example@evil.example', false],
    ['not a url', false],
    ['', false],
    [`https://example.com/${'a'.repeat(3000)}`, false],
  ])('%s → %s', (url, allowed) => {
    expect(isSafeExternalUrl(url)).toBe(allowed);
  });

  it('hands only safe URLs to the browser', async () => {
    const openExternal = vi.fn(async () => undefined);
    const refused = vi.fn();
    const open = createOpenExternalSafely({ openExternal, onRefused: refused });
    expect(await open('file:///etc/passwd')).toBe(false);
    expect(await open('https://example.com')).toBe(true);
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(refused).toHaveBeenCalledWith('file:///etc/passwd');
  });
});

describe('window hardening', () => {
  it('uses isolation, sandbox, no Node and no webview', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webviewTag: false, webSecurity: true });
  });

  it('blocks navigation away from the app and sends https links to the browser', () => {
    const window = new FakeBrowserWindow();
    const opened: string[] = [];
    hardenWebContents(window.webContents as never, { appEntryUrl: ENTRY, openExternalSafely: async (url) => (opened.push(url), true) });
    const away = preventable();
    window.webContents.emit('will-navigate', away, 'https://evil.example/');
    expect(away.defaultPrevented).toBe(true);
    const inApp = preventable();
    window.webContents.emit('will-navigate', inApp, `${ENTRY}#/history`);
    expect(inApp.defaultPrevented).toBe(false);
    const webview = preventable();
    window.webContents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://docs.example' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://evil.example/', 'https://docs.example']);
  });

  it('denies every permission and sets a strict CSP header', () => {
    const fake = session.defaultSession;
    hardenSession(fake as unknown as Session);
    const decide = vi.fn();
    fake.permissionRequestHandler?.({}, 'media', decide);
    expect(decide).toHaveBeenCalledWith(false);
    expect(fake.permissionCheckHandler?.({}, 'notifications')).toBe(false);
    const respond = vi.fn();
    fake.headersHandler?.({ responseHeaders: { a: ['b'] } }, respond);
    expect(respond).toHaveBeenCalledWith({ responseHeaders: { a: ['b'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(eval|inline)/);
  });
});

describe('IPC sender predicate', () => {
  it.each<[string, { url: string; parent: unknown } | null, boolean]>([
    ['the app page', { url: ENTRY, parent: null }, true],
    ['the app page with a route', { url: `${ENTRY}?x=1#/keys`, parent: null }, true],
    ['a subframe', { url: ENTRY, parent: {} }, false],
    ['another page', { url: 'file:///app/dist/renderer/other.html', parent: null }, false],
    ['a website', { url: 'https://evil.example/index.html', parent: null }, false],
    ['garbage', { url: '::', parent: null }, false],
    ['no frame', null, false],
  ])('%s → %s', (_name, frame, trusted) => {
    expect(isTrustedSender(frame, ENTRY)).toBe(trusted);
  });
});
