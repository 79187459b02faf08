/**
 * Guards on every web contents and on the session (Electron security checklist items 5, 7,
 * 13–15): a strict CSP, no permissions, no navigation away from the app, no new windows (https
 * links go to the browser instead), no <webview>.
 */
import type { Session, WebContents } from 'electron';
import { sameDocument } from '../ipc/sender-check.ts';

/**
 * The renderer needs nothing remote: keys and data go over IPC, so connect-src is 'none'. The
 * renderer's index.html carries the same policy in a <meta> tag, because file:// responses do
 * not always pass through onHeadersReceived.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>): void {
  // Electron grants every permission request when no handler is set (checklist item 5).
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

export interface WebContentsGuardDeps {
  /** file:// URL of the renderer's index.html: the only document the window may show. */
  appEntryUrl: string;
  openExternalSafely(url: string): Promise<boolean>;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenWebContents(contents: GuardedContents, deps: WebContentsGuardDeps): void {
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (sameDocument(url, deps.appEntryUrl)) return;
    event.preventDefault();
    // A link the user clicked may be one they want to read: https goes to the browser.
    void deps.openExternalSafely(url);
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void deps.openExternalSafely(url);
    return { action: 'deny' };
  });
}
