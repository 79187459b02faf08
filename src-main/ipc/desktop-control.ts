/**
 * The control API as the desktop window gets it: the engine's implementation with the shell's
 * policies on top. Start/stop go through the ProxyController (so the tray and notifications see
 * the same events); keys are write-only (an export never carries them over IPC); key deletes are
 * checkpointed so the old ciphertext leaves the WAL; login-item settings reach the OS.
 */
import { CONTROL_OPERATIONS, type ControlApi, type ControlOperationName, type Settings, type SettingsPatch } from '../../src-proxy/control/contract.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import type { SecretCipher, Store } from '../../src-proxy/store/types.ts';
import type { ProxyController } from '../proxy/proxy-controller.ts';
import type { LoginItem } from '../system/login-item.ts';

export interface DesktopControlDeps {
  control: ControlApi;
  controller: Pick<ProxyController, 'start' | 'stop'>;
  store: Pick<Store, 'checkpoint'>;
  cipher: Pick<SecretCipher, 'isAvailable'>;
  loginItem: Pick<LoginItem, 'setEnabled'>;
  onSettingsChanged?(settings: Settings): void;
}

/** Finishing onboarding turns on launch-at-login and start-on-launch unless the same patch says otherwise. */
export function withOnboardingDefaults(previous: Settings, patch: SettingsPatch): SettingsPatch {
  if (previous.onboardingComplete || patch.onboardingComplete !== true) return patch;
  return { launchAtLogin: true, startProxyOnLaunch: true, ...patch };
}

export function createDesktopControl(deps: DesktopControlDeps): ControlApi {
  const { control } = deps;
  const requireCipher = () => {
    // Fail before the store is touched, so not even a row without a secret is written.
    if (!deps.cipher.isAvailable()) {
      throw new GatewayError('secret_unavailable', 'OS secret storage is not available, so Switchboard stores no keys');
    }
  };
  const passThrough = Object.fromEntries(
    (Object.keys(CONTROL_OPERATIONS) as ControlOperationName[]).map((name) => [
      name,
      (request: unknown) => (control[name] as (request: unknown) => Promise<unknown>).call(control, request),
    ]),
  ) as ControlApi;

  return {
    ...passThrough,
    startProxy: () => deps.controller.start(),
    stopProxy: () => deps.controller.stop(),
    async addKey(request) {
      requireCipher();
      return control.addKey(request);
    },
    async replaceKey(request) {
      requireCipher();
      const key = await control.replaceKey(request);
      deps.store.checkpoint();
      return key;
    },
    async deleteKey(request) {
      await control.deleteKey(request);
      deps.store.checkpoint();
    },
    async deleteProvider(request) {
      await control.deleteProvider(request);
      deps.store.checkpoint();
    },
    async exportConfig(request) {
      if (request?.includeSecrets) {
        throw new GatewayError('invalid_request', 'Keys never leave Switchboard through the window: export without secrets, or use `switchboard export` in a terminal');
      }
      return control.exportConfig({ ...request, includeSecrets: false });
    },
    async updateSettings(patch) {
      const previous = await control.getSettings();
      const next = await control.updateSettings(withOnboardingDefaults(previous, patch));
      if (previous.launchAtLogin !== next.launchAtLogin) deps.loginItem.setEnabled(next.launchAtLogin);
      deps.onSettingsChanged?.(next);
      return next;
    },
  };
}
