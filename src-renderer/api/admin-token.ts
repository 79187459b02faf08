/**
 * The admin token of the headless dashboard. `serve` prints http://127.0.0.1:P/_switchboard/#token=…
 * (a fragment never reaches the server or its logs, as with notebook servers). The page keeps it
 * in sessionStorage (gone with the tab) and strips it from the address bar and history.
 */
const STORAGE_KEY = 'switchboard.adminToken';
/** Set by sign-out, so the page that follows says so; opening the address with a token clears it. */
const SIGNED_OUT_KEY = 'switchboard.signedOut';

export interface TokenEnvironment {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

export function takeAdminToken(env: TokenEnvironment): string | null {
  const params = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const fromUrl = params.get('token');
  if (fromUrl) {
    env.storage.setItem(STORAGE_KEY, fromUrl);
    env.storage.removeItem(SIGNED_OUT_KEY);
    params.delete('token');
    const rest = params.toString();
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}${rest ? `#${rest}` : ''}`);
    return fromUrl;
  }
  return env.storage.getItem(STORAGE_KEY);
}

/** Sign-out: this tab forgets the token (the server's token stays valid for whoever else holds it). */
export function forgetAdminToken(storage: Pick<Storage, 'setItem' | 'removeItem'>): void {
  storage.removeItem(STORAGE_KEY);
  storage.setItem(SIGNED_OUT_KEY, '1');
}

/** Whether this tab signed out (and has not been given a token since). */
export function signedOut(storage: Pick<Storage, 'getItem'>): boolean {
  return storage.getItem(SIGNED_OUT_KEY) === '1';
}
