import type { BridgeOperationName, BridgeRequest, BridgeResult } from '../../src-main/ipc/channels.ts';
import { ControlError, toControlError } from './control-error';
import { createDesktopGatewayFetch } from './desktop-gateway-fetch';
import type { ControlClient, DesktopShell, SwitchboardBridge } from './types';

/**
 * The control client over the Electron preload bridge (IPC). The bridge never rejects for
 * expected errors: it resolves to `{ ok: true, value }` or `{ ok: false, error: { code, message } }`
 * (Electron flattens errors thrown in ipcMain.handle into a string, losing the code).
 */
export function createBridgeClient(bridge: SwitchboardBridge): ControlClient {
  // One unwrapping for control and desktop operations; the typed wrappers below pick the types.
  async function call(operation: BridgeOperationName, request: unknown): Promise<unknown> {
    let result: BridgeResult<unknown>;
    try {
      result = await bridge.invoke(operation, (request ?? {}) as BridgeRequest<typeof operation>);
    } catch (error) {
      throw toControlError(error);
    }
    if (result?.ok === true) return result.value;
    if (result?.ok === false) throw new ControlError(result.error.code, result.error.message, result.error.issues ?? []);
    throw new ControlError('internal_error', 'The desktop bridge answered in an unknown shape.');
  }
  const desktop: DesktopShell = { invoke: (operation, request) => call(operation, request) as never };
  return {
    invoke: (operation, request) => call(operation, request) as never,
    onEvent: (listener) => bridge.onEvent(listener),
    host: 'desktop',
    desktop,
    // The window is a file:// page: the gateway is wherever the running proxy listens.
    gatewayOrigin: (status) => status?.baseUrl ?? null,
    gatewayFetch: createDesktopGatewayFetch(desktop),
  };
}
