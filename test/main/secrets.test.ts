// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDesktopControl, withOnboardingDefaults } from '../../src-main/ipc/desktop-control.ts';
import { createProxyController } from '../../src-main/proxy/proxy-controller.ts';
import { createSafeStorageCipher } from '../../src-main/secrets.ts';
import { DEFAULT_SETTINGS } from '../../src-proxy/control/contract.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { electronFake, resetElectronFake, safeStorage } from './fake-electron.ts';
import { createFakeGateway } from './fake-gateway.ts';

const CANARY = 'sk-ant-CANARY-91b2c3';

beforeEach(resetElectronFake);

function cipherOn(platform: NodeJS.Platform, optIn = false) {
  return createSafeStorageCipher({ safeStorage, platform, insecureOptIn: () => optIn });
}

function expectRefusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('secret_unavailable');
    return;
  }
  throw new Error('expected a refusal');
}

describe('safeStorage cipher', () => {
  it('stores only ciphertext and reads it back', () => {
    const cipher = cipherOn('darwin');
    const blob = cipher.encrypt(CANARY);
    expect(blob.toString('latin1')).not.toContain(CANARY);
    expect(cipher.decrypt(blob)).toBe(CANARY);
    expect(cipher.description).toContain('keychain');
  });

  it('fails closed when OS encryption is unavailable', () => {
    electronFake.encryptionAvailable = false;
    const cipher = cipherOn('win32');
    expect(cipher.isAvailable()).toBe(false);
    expectRefusal(() => cipher.encrypt(CANARY));
    expectRefusal(() => cipher.decrypt(Buffer.from('v10abc')));
  });

  it.each(['basic_text', 'unknown'])('on Linux with the %s backend refuses without an explicit opt-in', (backend) => {
    electronFake.backend = backend;
    const cipher = cipherOn('linux');
    expect(cipher.isInsecureBackend()).toBe(true);
    expect(cipher.isAvailable()).toBe(false);
    expectRefusal(() => cipher.encrypt(CANARY));
    const optedIn = cipherOn('linux', true);
    expect(optedIn.isAvailable()).toBe(true);
    expect(optedIn.decrypt(optedIn.encrypt(CANARY))).toBe(CANARY);
  });

  it('on Linux with a keyring needs no opt-in', () => {
    electronFake.backend = 'gnome_libsecret';
    expect(cipherOn('linux').isAvailable()).toBe(true);
    expect(cipherOn('linux').backend()).toBe('gnome_libsecret');
  });

  it('a blob it cannot decrypt (keyring changed) is secret_unavailable, not a crash or plaintext', () => {
    expectRefusal(() => cipherOn('darwin').decrypt(Buffer.from('garbage')));
  });
});

describe('adding keys without secure storage', () => {
  it('is refused before the store is touched', async () => {
    const gateway = createFakeGateway();
    const control = createDesktopControl({
      control: gateway.control,
      controller: createProxyController({ gateway }),
      store: gateway.store,
      cipher: { isAvailable: () => false },
      loginItem: { setEnabled: vi.fn() },
    });
    await expect(control.addKey({ providerId: 'openai', secret: CANARY })).rejects.toMatchObject({ code: 'secret_unavailable' });
    await expect(control.replaceKey({ keyId: 1, secret: CANARY })).rejects.toMatchObject({ code: 'secret_unavailable' });
    expect(gateway.calls).not.toContain('addKey');
  });
});

describe('onboarding defaults', () => {
  const fresh = { ...DEFAULT_SETTINGS, onboardingComplete: false };
  it('finishing onboarding turns on launch at login and start on launch', () => {
    expect(withOnboardingDefaults(fresh, { onboardingComplete: true })).toEqual({ launchAtLogin: true, startProxyOnLaunch: true, onboardingComplete: true });
  });
  it('respects a choice made in the same step, and changes nothing later', () => {
    expect(withOnboardingDefaults(fresh, { onboardingComplete: true, launchAtLogin: false })).toMatchObject({ launchAtLogin: false, startProxyOnLaunch: true });
    expect(withOnboardingDefaults({ ...fresh, onboardingComplete: true }, { onboardingComplete: true })).toEqual({ onboardingComplete: true });
  });
  it('applies the login item when the setting changes', async () => {
    const gateway = createFakeGateway();
    const loginItem = { setEnabled: vi.fn() };
    const control = createDesktopControl({ control: gateway.control, controller: createProxyController({ gateway }), store: gateway.store, cipher: { isAvailable: () => true }, loginItem });
    await control.updateSettings({ onboardingComplete: true });
    expect(loginItem.setEnabled).toHaveBeenCalledWith(true);
  });
});
