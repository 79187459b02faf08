import { ControlError, toControlError } from './control-error';
import type { ControlClient, ControlOperationName, ControlRequest, ControlResponse, SwitchboardBridge } from './types';

/**
 * The control client over the Electron preload bridge (IPC). The bridge never rejects for
 * expected errors: it resolves to `{ ok: true, value }` or `{ ok: false, error: { code, message } }`
 * (Electron flattens errors thrown in ipcMain.handle into a string, losing the code).
 */
export function createBridgeClient(bridge: SwitchboardBridge): ControlClient {
  return {
    async invoke<K extends ControlOperationName>(operation: K, request?: ControlRequest<K>) {
      let result: unknown;
      try {
        result = await bridge.invoke(operation, request ?? {});
      } catch (error) {
        throw toControlError(error);
      }
      const envelope = result as { ok?: boolean; value?: unknown; error?: { code: string; message: string; issues?: Array<{ path: string; message: string }> } };
      if (envelope.ok === true) return envelope.value as ControlResponse<K>;
      if (envelope.ok === false && envelope.error) throw new ControlError(envelope.error.code, envelope.error.message, envelope.error.issues ?? []);
      throw new ControlError('internal_error', 'The desktop bridge answered in an unknown shape.');
    },
    onEvent: (listener) => bridge.onEvent(listener),
    capabilities: { launchAtLogin: true },
  };
}
