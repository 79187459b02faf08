import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { maskKeySecret, maskSecret } from '../../src-proxy/store/mask.ts';
import type { SecretCipher, Store } from '../../src-proxy/store/types.ts';
import { tempDir, tempStore } from './helpers.ts';

const CANARY = 'sk-CANARY-3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f';

/** Every byte of every file in the data folder (db, -wal, -shm, key file). */
function dataDirBytes(dataDir: string, names?: string[]): Buffer {
  const files = names ?? readdirSync(dataDir);
  return Buffer.concat(files.filter((name) => existsSync(join(dataDir, name))).map((name) => readFileSync(join(dataDir, name))));
}

function addProvider(store: Store): void {
  store.providers.create({ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
}

function storedCiphertext(dataDir: string, keyId: number): Buffer {
  const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
  try {
    return db.prepare('SELECT ciphertext FROM provider_keys WHERE id = ?').pluck().get(keyId) as Buffer;
  } finally {
    db.close();
  }
}

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof GatewayError ? error.code : `unexpected: ${String(error)}`;
  }
  return undefined;
}

describe('provider keys at rest', () => {
  it('never writes the plaintext key to any file in the data folder', () => {
    const { store, dataDir } = tempStore();
    addProvider(store);
    const key = store.keys.add('openai', CANARY, 'main');
    expect(key.masked).toBe('sk-…9e1f');
    expect(dataDirBytes(dataDir).includes(CANARY)).toBe(false);
    store.checkpoint();
    expect(dataDirBytes(dataDir).includes(CANARY)).toBe(false);
    expect(store.keys.secretsFor('openai')[0]?.reveal()).toBe(CANARY);
  });

  it('removes the key ciphertext from the .db and -wal files once the key is deleted', () => {
    const { store, dataDir } = tempStore();
    addProvider(store);
    const key = store.keys.add('openai', CANARY);
    store.checkpoint();
    const ciphertext = storedCiphertext(dataDir, key.id);
    // The search can find it: the ciphertext really is in the file before the delete.
    expect(dataDirBytes(dataDir, ['switchboard.db']).includes(ciphertext)).toBe(true);

    expect(store.keys.delete(key.id)).toBe(true);
    expect(dataDirBytes(dataDir, ['switchboard.db', 'switchboard.db-wal']).includes(ciphertext)).toBe(false);
  });

  it('removes key ciphertext from disk when its provider is deleted', () => {
    const { store, dataDir } = tempStore();
    addProvider(store);
    const key = store.keys.add('openai', CANARY);
    store.checkpoint();
    const ciphertext = storedCiphertext(dataDir, key.id);
    expect(store.providers.delete('openai')).toBe(true);
    expect(store.keys.list()).toEqual([]);
    expect(dataDirBytes(dataDir, ['switchboard.db', 'switchboard.db-wal']).includes(ciphertext)).toBe(false);
  });

  it('reports secret_unavailable (and still lists keys) when the key file is a different one', () => {
    const dataDir = tempDir();
    const first = openStore({ dataDir });
    addProvider(first);
    first.keys.add('openai', CANARY);
    first.close();
    writeFileSync(join(dataDir, 'secret.key'), randomBytes(32));

    const store = openStore({ dataDir });
    try {
      expect(store.keys.list('openai')).toHaveLength(1);
      const [secret] = store.keys.secretsFor('openai');
      expect(errorCode(() => secret?.reveal())).toBe('secret_unavailable');
      expect(errorCode(() => store.keys.revealAll('openai'))).toBe('secret_unavailable');
    } finally {
      store.close();
    }
  });

  it('reports secret_unavailable, without creating a new key file, when the key file is gone', () => {
    const dataDir = tempDir();
    const first = openStore({ dataDir });
    addProvider(first);
    first.keys.add('openai', CANARY);
    first.close();
    rmSync(join(dataDir, 'secret.key'));

    const store = openStore({ dataDir });
    try {
      expect(errorCode(() => store.keys.revealAll('openai'))).toBe('secret_unavailable');
      expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
    } finally {
      store.close();
    }
  });

  it('refuses to store a key when secret storage is unavailable, and writes nothing', () => {
    const unavailable: SecretCipher = {
      description: 'basic_text (no keyring)',
      isAvailable: () => false,
      encrypt: () => {
        throw new Error('must not be called');
      },
      decrypt: () => {
        throw new Error('must not be called');
      },
    };
    const store = openStore({ dataDir: tempDir(), cipher: unavailable });
    try {
      addProvider(store);
      expect(errorCode(() => store.keys.add('openai', CANARY))).toBe('secret_storage_unavailable');
      expect(store.keys.list()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('replacing a key keeps its id and label and clears its error and cooldown', () => {
    const { store } = tempStore();
    addProvider(store);
    const key = store.keys.add('openai', 'sk-old-0000000000000000', 'work');
    store.keys.recordError(key.id, 'HTTP 401', Date.now() + 60_000);
    const replaced = store.keys.replace(key.id, CANARY);
    expect(replaced).toMatchObject({ id: key.id, label: 'work', masked: 'sk-…9e1f', lastError: null, cooldownUntil: null });
    expect(store.keys.secretsFor('openai')[0]?.reveal()).toBe(CANARY);
  });
});

describe('maskSecret', () => {
  it.each([
    ['sk-proj-abcdefghijklmnop9f3a', 'sk-…9f3a'],
    ['abcdefghijkl', 'abc…ijkl'],
    ['short-3a', '…3a'],
    ['tiny', '…'],
  ])('masks %s as %s', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});

describe('maskKeySecret (keys made of parts)', () => {
  const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  it.each([
    ['an IAM key', JSON.stringify({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey }), 'accessKeyId AKI…MPLE'],
    ['an IAM key with a session token', JSON.stringify({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey, sessionToken: 'FwoGZXIvYXdzEJr//session' }), 'accessKeyId AKI…MPLE'],
    ['a service-account key', JSON.stringify({ type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\n', client_email: 'bot@proj.iam.gserviceaccount.com' }), 'client_email bot….com'],
    ['a JSON key without a public id', JSON.stringify({ secretAccessKey }), 'JSON key …'],
  ])('masks %s by its public id only, never the secret part', (_name, secret, masked) => {
    const result = maskKeySecret(secret);
    expect(result.masked).toBe(masked);
    // Nothing of the secret part: not even the 2 characters the JSON text's tail would show.
    for (const part of [secretAccessKey.slice(-2), secretAccessKey.slice(0, 3), 'EY"}', 'ion"}']) expect(result.masked).not.toContain(part);
  });

  it('masks a plain secret with the house rule', () => {
    expect(maskKeySecret('sk-proj-abcdefghijklmnop9f3a')).toEqual({ masked: 'sk-…9f3a', tail: '9f3a' });
  });

  it('stores a Bedrock IAM key masked by its access key id', () => {
    const { store } = tempStore();
    store.providers.create({ id: 'bedrock', kind: 'bedrock', baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com', options: { region: 'us-east-1' } });
    const key = store.keys.add('bedrock', JSON.stringify({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey }), 'iam');
    expect(key.masked).toBe('accessKeyId AKI…MPLE');
    expect(JSON.stringify(store.keys.list('bedrock'))).not.toContain(secretAccessKey.slice(-4));
  });
});

describe('provider header values at rest', () => {
  it('seals header values an older version stored in clear when the store opens', () => {
    const dataDir = tempDir();
    const first = openStore({ dataDir });
    addProvider(first);
    first.close();
    // What an older version wrote: the header map as plain JSON.
    const raw = new Database(join(dataDir, 'switchboard.db'));
    raw.prepare('UPDATE providers SET headers = ? WHERE id = ?').run(JSON.stringify({ 'x-second-auth': CANARY }), 'openai');
    raw.close();
    expect(dataDirBytes(dataDir).includes(CANARY)).toBe(true);

    const store = openStore({ dataDir });
    try {
      expect(store.providers.get('openai')?.headers).toEqual({ 'x-second-auth': CANARY });
      expect(dataDirBytes(dataDir, ['switchboard.db', 'switchboard.db-wal']).includes(CANARY)).toBe(false);
    } finally {
      store.close();
    }
  });

  it('lists the provider with secret_unavailable as its last error when the key file is a different one', () => {
    const dataDir = tempDir();
    const first = openStore({ dataDir });
    first.providers.create({ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', headers: { 'x-second-auth': CANARY } });
    first.close();
    writeFileSync(join(dataDir, 'secret.key'), randomBytes(32));

    const store = openStore({ dataDir });
    try {
      const [provider] = store.providers.list();
      expect(provider?.headers).toEqual({});
      expect(provider?.lastError).toMatch(/header values/);
    } finally {
      store.close();
    }
  });
});
