/**
 * Which store a `--store` value (or SWITCHBOARD_STORE) names. No value is the embedded SQLite
 * file in the data folder (the desktop and single-machine default); `postgres://…` (or
 * `postgresql://…`) is the team store that several instances share. Team mode is decided here,
 * once: the serving side (0.0.0.0, TLS, token rules) gates on isTeamStore.
 * The URL carries a password: show it only through redactStoreUrl.
 */
export type StoreKind = 'sqlite' | 'postgres';

const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'];

/** Throws a plain Error (the CLI prints it) for anything that is neither. */
export function storeKind(url: string | undefined | null): StoreKind {
  if (url === undefined || url === null || url === '' || url === 'sqlite' || url.startsWith('sqlite:')) return 'sqlite';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--store must be a postgres://user:password@host:5432/database URL (or sqlite); got ${redactStoreUrl(url)}`);
  }
  if (POSTGRES_SCHEMES.includes(parsed.protocol)) return 'postgres';
  throw new Error(`--store must be a postgres://user:password@host:5432/database URL (or sqlite); "${parsed.protocol}" is not a store Switchboard knows`);
}

/** True for a PostgreSQL store: `serve` then runs in team mode. */
export function isTeamStore(url: string | undefined | null): boolean {
  return storeKind(url) === 'postgres';
}

/** The URL with its password (and any `password=` query parameter) replaced by `***`. */
export function redactStoreUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.toString();
  } catch {
    // Not a URL: hide everything between "://" and "@", where credentials would be.
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** `text` with every appearance of the URL's password (raw or URL-encoded) replaced by `***`. */
export function redactStoreSecrets(text: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return text.replace(/\/\/[^@/\s]*@/g, '//***@');
  }
  if (!password) return text;
  let out = text.split(password).join('***');
  const decoded = safeDecode(password);
  if (decoded && decoded !== password) out = out.split(decoded).join('***');
  return out;
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
