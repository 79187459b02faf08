/**
 * The admin token of the headless dashboard. `serve` prints http://127.0.0.1:P/_switchboard/#token=…
 * (a fragment never reaches the server or its logs, as with notebook servers). The page keeps it
 * in sessionStorage (gone with the tab) and strips it from the address bar and history.
 */
const STORAGE_KEY = 'switchboard.adminToken';

export interface TokenEnvironment {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export function takeAdminToken(env: TokenEnvironment): string | null {
  const params = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const fromUrl = params.get('token');
  if (fromUrl) {
    env.storage.setItem(STORAGE_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}${rest ? `#${rest}` : ''}`);
    return fromUrl;
  }
  return env.storage.getItem(STORAGE_KEY);
}
