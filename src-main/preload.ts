/**
 * The window's only door to main: one named object, `window.switchboard`, with a typed
 * `invoke(operation, request)` and `onEvent(listener)`. No raw ipcRenderer crosses the bridge,
 * and listeners never receive the IpcRendererEvent (it exposes the sender). Sandboxed preloads
 * run as CommonJS with only `electron` available, so this file imports nothing else at run time.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, channelFor, type BridgeEvent, type SwitchboardBridge } from './ipc/channels.ts';

const bridge: SwitchboardBridge = {
  transport: 'ipc',
  invoke(operation, request) {
    try {
      return ipcRenderer.invoke(channelFor(operation), request);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  },
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, payload: BridgeEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('switchboard', bridge);
