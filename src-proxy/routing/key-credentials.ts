/**
 * The secret an attempt sends for a key. A plain key's is its stored secret; an OAuth2 account's
 * is the access token its credential source (upstream/oauth2-source.ts) holds, one source per key
 * for the gateway's life, its refreshed tokens sealed back into the store. A refused token is
 * invalidated so the router's one retry of that key refreshes it.
 */
import { decodeKeyMaterial, encodeKeyMaterial, keyIdentity, type KeyMaterial } from '../domain/provider-key.ts';
import { GatewayError } from '../errors/codes.ts';
import type { CredentialSource } from '../upstream/credential-source.ts';
import type { UpstreamHttp, UpstreamTimeouts } from '../upstream/http-client.ts';
import { createOAuth2Source } from '../upstream/oauth2-source.ts';
import type { KeyRepository } from '../store/types.ts';
import type { ResolvedTarget } from '../providers/types.ts';
import type { CallSignal } from '../upstream/call-signal.ts';

/** A plain key as an attempt sends it (no await: the hot path). */
export function staticKey(key: StoredKey, material: Extract<KeyMaterial, { type: 'key' }>): NonNullable<ResolvedTarget['key']> {
  const resolved: NonNullable<ResolvedTarget['key']> = { id: key.id, label: key.label, secret: material.secret };
  if (material.proxy) resolved.proxy = material.proxy;
  return resolved;
}

/** A stored key as the pool or the store gives it. */
export interface StoredKey {
  id: number;
  label: string;
  reveal(): string;
  material?(): KeyMaterial;
}

export interface KeyCredentials {
  /** The key as an attempt sends it: its secret (or the account's token now) and its proxy. */
  resolve(providerId: string, key: StoredKey, signal: CallSignal): Promise<NonNullable<ResolvedTarget['key']>>;
  /** The bearer token of an OAuth2 account now; throws oauth_refresh_failed. */
  token(providerId: string, keyId: number, material: Extract<KeyMaterial, { type: 'oauth2' }>, signal: CallSignal): Promise<string>;
  /** The upstream refused this account's token. */
  rejected(keyId: number, token: string): void;
}

export function createKeyCredentials(deps: {
  keys: Pick<KeyRepository, 'secretsFor' | 'replace'>;
  http: UpstreamHttp;
  timeouts: () => UpstreamTimeouts;
  now?: () => number;
  onError?: (keyId: number, error: unknown) => void;
}): KeyCredentials {
  // Kept across configuration changes (a rebuilt source could refresh with a refresh token its
  // predecessor just rotated away); a key replaced by another account gets a new source.
  const sources = new Map<number, { identity: string; source: CredentialSource }>();

  /** Seals a refreshed token unless the key was replaced or deleted meanwhile. */
  function persist(providerId: string, keyId: number, identity: string, update: (material: Extract<KeyMaterial, { type: 'oauth2' }>) => KeyMaterial): void {
    try {
      const stored = deps.keys.secretsFor(providerId).find((key) => key.id === keyId);
      if (!stored) return;
      const material = decodeKeyMaterial(stored.reveal());
      if (material.type !== 'oauth2' || keyIdentity(material) !== identity) return;
      deps.keys.replace(keyId, encodeKeyMaterial(update(material)));
    } catch (error) {
      // The refreshed token still serves this run; only its copy at rest is missing.
      deps.onError?.(keyId, error);
    }
  }

  function sourceFor(providerId: string, keyId: number, material: Extract<KeyMaterial, { type: 'oauth2' }>): CredentialSource {
    const identity = keyIdentity(material);
    const known = sources.get(keyId);
    if (known?.identity === identity) return known.source;
    const source = createOAuth2Source({
      grant: material,
      ...(material.token ? { token: material.token } : {}),
      http: deps.http,
      timeouts: deps.timeouts,
      ...(material.proxy ? { proxy: material.proxy } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      onRefreshed: (token, refreshToken) => persist(providerId, keyId, identity, (stored) => ({ ...stored, refreshToken, token })),
    });
    sources.set(keyId, { identity, source });
    return source;
  }

  async function token(providerId: string, keyId: number, material: Extract<KeyMaterial, { type: 'oauth2' }>, signal: CallSignal): Promise<string> {
    const value = await sourceFor(providerId, keyId, material).token(signal);
    if (!value) throw new GatewayError('oauth_refresh_failed', 'the account has no access token');
    return value;
  }

  return {
    token,
    async resolve(providerId, key, signal) {
      const material = key.material ? key.material() : decodeKeyMaterial(key.reveal());
      if (material.type === 'key') return staticKey(key, material);
      return { id: key.id, label: key.label, secret: await token(providerId, key.id, material, signal), account: true, ...(material.proxy ? { proxy: material.proxy } : {}) };
    },
    rejected(keyId, token) {
      sources.get(keyId)?.source.invalidate(token);
    },
  };
}
