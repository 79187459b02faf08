/**
 * The base URLs a user pastes into their tools, as the engine lists them (one per front door
 * that has its own). While running the engine reports its origin; when it is not running we
 * still know the configured port, and the menu can offer the same addresses.
 */
import { endpointUrl, gatewayOrigin } from '../../src-proxy/domain/endpoints.ts';
import type { ProxyStatus } from '../../src-proxy/control/contract.ts';

export interface EndpointEntry {
  label: string;
  url: string;
}

export function endpointsFor(status: Pick<ProxyStatus, 'baseUrl' | 'endpoints' | 'host' | 'port'>): EndpointEntry[] | null {
  const base = status.baseUrl ?? (status.port === null || status.port === 0 ? null : gatewayOrigin(status.host, status.port));
  if (base === null) return null;
  return status.endpoints.map((endpoint) => ({ label: endpoint.label, url: endpointUrl(base, endpoint) }));
}
