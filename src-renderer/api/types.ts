import type {
  ControlEvent,
  ControlOperationName,
  ControlRequest,
  ControlResponse,
} from '../../src-proxy/control/contract.ts';

export type { ControlEvent, ControlOperationName, ControlRequest, ControlResponse };

/** The one client the pages use. They never learn which transport carries it. */
export interface ControlClient {
  invoke<K extends ControlOperationName>(operation: K, request?: ControlRequest<K>): Promise<ControlResponse<K>>;
  /** Live status and history events; returns the unsubscribe function. */
  onEvent(listener: (event: ControlEvent) => void): () => void;
  /** What the host can do beyond the control API (launch at login exists only in the desktop app). */
  readonly capabilities: { launchAtLogin: boolean };
}

/** What the Electron preload exposes as window.switchboard (contextBridge). */
export interface SwitchboardBridge {
  invoke(operation: string, request: unknown): Promise<unknown>;
  onEvent(listener: (event: ControlEvent) => void): () => void;
}

declare global {
  interface Window {
    switchboard?: SwitchboardBridge;
  }
}
