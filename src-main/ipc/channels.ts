/**
 * The IPC transport contract between the window and main: one channel per control operation,
 * a few desktop-only operations, and one push-event channel. Type-only imports keep zod (and
 * the rest of the engine) out of the sandboxed preload bundle.
 */
import type { ControlEvent, ControlOperationName, ControlRequest, ControlResponse } from '../../src-proxy/control/contract.ts';
import type { ErrorIssue } from '../../src-proxy/errors/codes.ts';
import type { DesktopOperationName, DesktopRequest, DesktopResponse, ShellState } from './desktop-contract.ts';

export const CHANNEL_PREFIX = 'switchboard:';

/**
 * Written out (not generated) so a reader can grep a channel name. The `satisfies` clause is the
 * compile-time check: a missing, extra or misspelled operation fails `tsc`.
 */
export const CONTROL_CHANNELS = {
  getStatus: 'switchboard:control:getStatus',
  startProxy: 'switchboard:control:startProxy',
  stopProxy: 'switchboard:control:stopProxy',
  listProviderKinds: 'switchboard:control:listProviderKinds',
  listProviders: 'switchboard:control:listProviders',
  createProvider: 'switchboard:control:createProvider',
  updateProvider: 'switchboard:control:updateProvider',
  deleteProvider: 'switchboard:control:deleteProvider',
  testProvider: 'switchboard:control:testProvider',
  addKey: 'switchboard:control:addKey',
  replaceKey: 'switchboard:control:replaceKey',
  setKeyEnabled: 'switchboard:control:setKeyEnabled',
  deleteKey: 'switchboard:control:deleteKey',
  listModels: 'switchboard:control:listModels',
  refreshModels: 'switchboard:control:refreshModels',
  listAliases: 'switchboard:control:listAliases',
  createAlias: 'switchboard:control:createAlias',
  updateAlias: 'switchboard:control:updateAlias',
  deleteAlias: 'switchboard:control:deleteAlias',
  listClientTokens: 'switchboard:control:listClientTokens',
  createClientToken: 'switchboard:control:createClientToken',
  updateClientToken: 'switchboard:control:updateClientToken',
  rotateClientToken: 'switchboard:control:rotateClientToken',
  revokeClientToken: 'switchboard:control:revokeClientToken',
  getDashboardClientToken: 'switchboard:control:getDashboardClientToken',
  listClients: 'switchboard:control:listClients',
  providerPacing: 'switchboard:control:providerPacing',
  getSettings: 'switchboard:control:getSettings',
  updateSettings: 'switchboard:control:updateSettings',
  describeCertificates: 'switchboard:control:describeCertificates',
  queryHistory: 'switchboard:control:queryHistory',
  getHistoryEntry: 'switchboard:control:getHistoryEntry',
  listSessions: 'switchboard:control:listSessions',
  clearHistory: 'switchboard:control:clearHistory',
  getCacheStats: 'switchboard:control:getCacheStats',
  clearCache: 'switchboard:control:clearCache',
  rotateMetricsToken: 'switchboard:control:rotateMetricsToken',
  getUsage: 'switchboard:control:getUsage',
  getPerformance: 'switchboard:control:getPerformance',
  listPrices: 'switchboard:control:listPrices',
  setPrice: 'switchboard:control:setPrice',
  deletePrice: 'switchboard:control:deletePrice',
  importConfig: 'switchboard:control:importConfig',
  exportConfig: 'switchboard:control:exportConfig',
  getConfigText: 'switchboard:control:getConfigText',
  setConfigText: 'switchboard:control:setConfigText',
  rotateAdminToken: 'switchboard:control:rotateAdminToken',
  runChecks: 'switchboard:control:runChecks',
  getLogTail: 'switchboard:control:getLogTail',
  buildDiagnostics: 'switchboard:control:buildDiagnostics',
} as const satisfies { [K in ControlOperationName]: `switchboard:control:${K}` };

export const DESKTOP_CHANNELS = {
  getShellState: 'switchboard:desktop:getShellState',
  setInsecureStorageOptIn: 'switchboard:desktop:setInsecureStorageOptIn',
  openExternal: 'switchboard:desktop:openExternal',
  openLogsFolder: 'switchboard:desktop:openLogsFolder',
  dismissNotice: 'switchboard:desktop:dismissNotice',
  gatewayRequest: 'switchboard:desktop:gatewayRequest',
} as const satisfies { [K in DesktopOperationName]: `switchboard:desktop:${K}` };

/** The one channel main pushes events on. */
export const EVENT_CHANNEL = 'switchboard:event';

export type BridgeOperationName = ControlOperationName | DesktopOperationName;
export type BridgeRequest<K extends BridgeOperationName> = K extends ControlOperationName
  ? ControlRequest<K>
  : K extends DesktopOperationName
    ? DesktopRequest<K>
    : never;
export type BridgeResponse<K extends BridgeOperationName> = K extends ControlOperationName
  ? ControlResponse<K>
  : K extends DesktopOperationName
    ? DesktopResponse<K>
    : never;

/**
 * Every call resolves to a result instead of rejecting: Electron flattens errors thrown in a
 * handler to a prefixed message string, which would lose the error code the UI needs.
 */
export type BridgeResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string; issues?: ErrorIssue[] } };

/** What main pushes: the engine's events plus the shell's own. */
export type BridgeEvent =
  | ControlEvent
  | { type: 'shell'; shell: ShellState }
  /** The tray asked the window to show a page: one history entry, or settings to change the port. */
  | { type: 'navigate'; to: { page: 'history'; id: string } | { page: 'settings'; section: 'port' } };

/** The object the preload exposes as `window.switchboard`. */
export interface SwitchboardBridge {
  readonly transport: 'ipc';
  invoke<K extends BridgeOperationName>(operation: K, request?: BridgeRequest<K>): Promise<BridgeResult<BridgeResponse<K>>>;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: BridgeEvent) => void): () => void;
}

export function channelFor(operation: BridgeOperationName): string {
  if (Object.prototype.hasOwnProperty.call(CONTROL_CHANNELS, operation)) return CONTROL_CHANNELS[operation as ControlOperationName];
  if (Object.prototype.hasOwnProperty.call(DESKTOP_CHANNELS, operation)) return DESKTOP_CHANNELS[operation as DesktopOperationName];
  throw new Error(`Unknown Switchboard operation "${String(operation)}".`);
}
