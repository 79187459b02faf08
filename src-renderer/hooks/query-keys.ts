import type { DesktopOperationName } from '../../src-main/ipc/desktop-contract.ts';
import type { ControlOperationName, ControlRequest } from '../api';

/** One cache entry per operation and request: ['control', op] or ['control', op, request]. */
export function controlKey<K extends ControlOperationName>(operation: K, request?: ControlRequest<K>) {
  return request === undefined ? (['control', operation] as const) : (['control', operation, request] as const);
}

/** Reads of the desktop shell's own operations (no request: they take none). */
export function desktopKey(operation: DesktopOperationName) {
  return ['desktop', operation] as const;
}

/** The paged (infinite) history list for one filter. */
export function historyPagesKey(filter: object) {
  return ['control', 'queryHistory', 'pages', filter] as const;
}

/**
 * Which reads a successful mutation makes stale. Kept in one table so a new operation is one
 * line here, not a hunt through the pages.
 */
export const INVALIDATES: Partial<Record<ControlOperationName, ControlOperationName[]>> = {
  startProxy: ['getStatus'],
  stopProxy: ['getStatus'],
  createProvider: ['listProviders', 'listModels'],
  updateProvider: ['listProviders', 'listModels', 'listAliases'],
  deleteProvider: ['listProviders', 'listModels', 'listAliases'],
  testProvider: ['listProviders', 'listModels'],
  addKey: ['listProviders'],
  replaceKey: ['listProviders'],
  setKeyEnabled: ['listProviders'],
  deleteKey: ['listProviders'],
  refreshModels: ['listModels', 'listProviders'],
  createAlias: ['listAliases'],
  updateAlias: ['listAliases'],
  deleteAlias: ['listAliases'],
  createClientToken: ['listClientTokens', 'listClients'],
  updateClientToken: ['listClientTokens', 'listClients'],
  rotateClientToken: ['listClientTokens', 'listClients'],
  revokeClientToken: ['listClientTokens', 'listClients'],
  getDashboardClientToken: ['listClientTokens', 'listClients'],
  clearHistory: ['queryHistory', 'getUsage', 'getPerformance', 'getStatus'],
  clearCache: ['getCacheStats'],
  rotateMetricsToken: ['getSettings'],
  updateSettings: ['getSettings', 'getStatus', 'getCacheStats'],
  setPrice: ['listPrices', 'getUsage', 'getPerformance', 'queryHistory'],
  deletePrice: ['listPrices', 'getUsage', 'getPerformance', 'queryHistory'],
  importConfig: ['listProviders', 'listModels', 'listAliases', 'listClientTokens', 'getSettings', 'listPrices', 'getConfigText'],
  setConfigText: ['listProviders', 'listModels', 'listAliases', 'listClientTokens', 'getSettings', 'listPrices', 'getConfigText'],
  runChecks: ['listProviders', 'listModels'],
};
