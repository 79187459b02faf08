import { toControlError } from './control-error';
import type { ControlClient, ControlOperationName, ControlRequest, ControlResponse, SwitchboardBridge } from './types';

/** The control client over the Electron preload bridge (IPC). */
export function createBridgeClient(bridge: SwitchboardBridge): ControlClient {
  return {
    async invoke<K extends ControlOperationName>(operation: K, request?: ControlRequest<K>) {
      try {
        return (await bridge.invoke(operation, request ?? {})) as ControlResponse<K>;
      } catch (error) {
        throw toControlError(error);
      }
    },
    onEvent: (listener) => bridge.onEvent(listener),
    capabilities: { launchAtLogin: true },
  };
}
