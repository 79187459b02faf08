/**
 * The one way the pages reach the core. In the desktop window the preload's IPC bridge
 * (window.switchboard) carries the calls; in a browser, `serve` answers them over HTTP.
 */
import { forgetAdminToken, signedOut, takeAdminToken } from './api/admin-token';
import { createBridgeClient } from './api/bridge-client';
import { createHttpClient } from './api/http-client';
import type { ControlClient } from './api/types';

export { ControlError, toControlError } from './api/control-error';
export type { ClientEvent, ControlClient, ControlEvent, ControlOperationName, ControlRequest, ControlResponse } from './api/types';

let client: ControlClient | null = null;

export function getControlClient(): ControlClient {
  if (client) return client;
  if (window.switchboard) {
    client = createBridgeClient(window.switchboard);
  } else {
    const adminToken = takeAdminToken({ location: window.location, history: window.history, storage: window.sessionStorage });
    client = createHttpClient({
      adminToken,
      pageOrigin: window.location.origin,
      signOut: () => {
        forgetAdminToken(window.sessionStorage);
        window.location.reload();
      },
    });
  }
  return client;
}

/** Whether this browser tab signed out of the dashboard (the page without a token says so). */
export function tabSignedOut(): boolean {
  return !window.switchboard && signedOut(window.sessionStorage);
}
