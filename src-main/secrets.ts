/**
 * A SecretCipher backed by Electron safeStorage: the OS keychain (macOS), DPAPI (Windows) or the
 * desktop keyring (Linux) wraps every provider key; SQLite only ever sees the ciphertext.
 *
 * Fails closed. When OS encryption is unavailable nothing is stored. On Linux without a keyring
 * safeStorage falls back to "basic_text", which encrypts with a hardcoded password
 * (electronjs.org/docs/api/safe-storage) — that is refused unless the user explicitly opted in.
 */
import type { SafeStorage } from 'electron';
import { GatewayError } from '../src-proxy/errors/codes.ts';
import type { SecretCipher } from '../src-proxy/store/types.ts';

export type StorageBackend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

export interface SafeStorageCipherDeps {
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;
  platform: NodeJS.Platform;
  /** The user's explicit "store keys without a keyring" opt-in (read on every call). */
  insecureOptIn(): boolean;
}

export interface SafeStorageCipher extends SecretCipher {
  /** Linux backend name, or the OS facility elsewhere. */
  backend(): string;
  /** True on Linux when the backend offers no real protection. */
  isInsecureBackend(): boolean;
}

/** Backends that give no protection: "unknown" is also what Linux reports before the app is ready. */
const INSECURE_BACKENDS: ReadonlySet<StorageBackend> = new Set(['basic_text', 'unknown']);

export function createSafeStorageCipher(deps: SafeStorageCipherDeps): SafeStorageCipher {
  const { safeStorage, platform } = deps;
  const backend = () => {
    if (platform === 'darwin') return 'keychain';
    if (platform === 'win32') return 'dpapi';
    return safeStorage.getSelectedStorageBackend();
  };
  const isInsecureBackend = () => platform === 'linux' && INSECURE_BACKENDS.has(safeStorage.getSelectedStorageBackend());
  const isAvailable = () => {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return !isInsecureBackend() || deps.insecureOptIn();
  };
  const refuse = () =>
    new GatewayError(
      'secret_unavailable',
      isInsecureBackend()
        ? 'No OS keyring is available, so keys would only be hidden behind a fixed password: Switchboard stores none unless you allow it in Settings'
        : 'OS encryption is not available, so Switchboard stores no keys',
    );

  return {
    get description() {
      return `OS secret storage (${backend()})`;
    },
    backend,
    isInsecureBackend,
    isAvailable,
    encrypt(plaintext) {
      if (!isAvailable()) throw refuse();
      return safeStorage.encryptString(plaintext);
    },
    decrypt(ciphertext) {
      if (!isAvailable()) throw refuse();
      try {
        return safeStorage.decryptString(ciphertext);
      } catch (error) {
        // The keyring changed (profile copied, keyring reset, backend switched): re-enter the key.
        throw new GatewayError('secret_unavailable', undefined, { cause: error });
      }
    },
  };
}
