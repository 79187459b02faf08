import type { BridgeEvent, SwitchboardBridge } from '../../src-main/ipc/channels.ts';
import type { DesktopOperationName, DesktopRequest, DesktopResponse } from '../../src-main/ipc/desktop-contract.ts';
import type {
  ControlEvent,
  ControlOperationName,
  ControlRequest,
  ControlResponse,
  ProxyStatus,
  SignedIn,
} from '../../src-proxy/control/contract.ts';

export type { ControlEvent, ControlOperationName, ControlRequest, ControlResponse, SignedIn, SwitchboardBridge };

/**
 * Everything a client pushes to the page: the engine's events, the desktop shell's own (one
 * type with main and the preload: src-main/ipc/channels.ts), and the client's word that it lost
 * or regained the core (the HTTP event stream dropped when `serve` restarted, then came back).
 */
export type ClientEvent = BridgeEvent | { type: 'connection'; connected: boolean };

/** The desktop shell's own operations (shell state, keyring opt-in, notices, open a link or the logs). */
export interface DesktopShell {
  invoke<K extends DesktopOperationName>(operation: K, request?: DesktopRequest<K>): Promise<DesktopResponse<K>>;
}

/** Who the browser dashboard is signed in as, and signing out (the desktop window has no sign-in). */
export interface DashboardSession {
  whoAmI(): Promise<SignedIn>;
  /** Forgets the admin token in this tab and shows the signed-out page. */
  signOut(): void;
}

/**
 * The one client the pages use. Whatever differs between the desktop window (IPC through the
 * preload, gateway calls relayed by main) and the browser dashboard (HTTP, same-origin fetch)
 * lives behind it; the pages never look at `window.switchboard`.
 */
export interface ControlClient {
  invoke<K extends ControlOperationName>(operation: K, request?: ControlRequest<K>): Promise<ControlResponse<K>>;
  /** Live events; returns the unsubscribe function. */
  onEvent(listener: (event: ClientEvent) => void): () => void;
  /** Which host runs the dashboard: the desktop app, or `switchboard serve` in a browser. */
  readonly host: 'desktop' | 'serve';
  /** The desktop shell's operations; null in the browser dashboard. */
  readonly desktop: DesktopShell | null;
  /** Where the gateway's client routes answer (null while the desktop proxy is not running). */
  gatewayOrigin(status: ProxyStatus | undefined): string | null;
  /** The fetch for those routes ("try it", tool checks). */
  readonly gatewayFetch: typeof fetch;
  /** The browser dashboard's sign-in; null in the desktop window. */
  readonly session?: DashboardSession | null;
}

declare global {
  interface Window {
    switchboard?: SwitchboardBridge;
  }
}
