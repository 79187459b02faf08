/**
 * Who may call main over IPC: only the top frame of our own window, showing our own page.
 * Any web frame can send IPC in principle (electron/electron#33369), so an iframe or a page we
 * navigated to by accident must not reach the control API.
 */

/** The parts of Electron's WebFrameMain this check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** `appEntryUrl` is the file:// URL of the renderer's index.html. Hash and query are ignored. */
export function isTrustedSender(frame: SenderFrame | null | undefined, appEntryUrl: string): boolean {
  // A null senderFrame means the frame navigated away or was destroyed: nobody to trust.
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return sameDocument(frame.url, appEntryUrl);
}

/** True when both URLs name the same document (scheme, host, path), whatever the hash or query. */
export function sameDocument(url: string, appEntryUrl: string): boolean {
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(url);
    expected = new URL(appEntryUrl);
  } catch {
    return false;
  }
  return actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname;
}
