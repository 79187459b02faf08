/**
 * The one way a link leaves the app. Only https URLs reach the OS browser: on Windows other
 * schemes (file:, ms-settings:, smb:…) launch programs, and model output is attacker-influenced
 * (Electron security checklist item 15). The predicate is pure and table-tested.
 */
export function isSafeExternalUrl(candidate: string): boolean {
  if (candidate.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  // Credentials in a link are a phishing trick ("https://bank.com@evil.example").
  if (url.username !== '' || url.password !== '') return false;
  return url.hostname.length > 0;
}

export interface OpenExternalDeps {
  openExternal(url: string): Promise<void>;
  onRefused?(url: string): void;
}

/** Returns whether the URL was handed to the browser. */
export function createOpenExternalSafely(deps: OpenExternalDeps): (url: string) => Promise<boolean> {
  return async (url) => {
    if (!isSafeExternalUrl(url)) {
      deps.onRefused?.(url);
      return false;
    }
    await deps.openExternal(url);
    return true;
  };
}
