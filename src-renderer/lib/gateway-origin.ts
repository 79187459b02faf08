import type { ProxyStatus } from '../../src-proxy/control/contract.ts';

/**
 * Where the gateway's dialect routes answer. In the browser dashboard that is the page's own
 * origin (`serve` hosts both); in the desktop window it is the running proxy's address.
 */
export function gatewayOrigin(status: ProxyStatus | undefined, browser: boolean, pageOrigin: string): string | null {
  if (browser) return pageOrigin;
  if (!status?.endpoints) return null;
  return new URL(status.endpoints.openai).origin;
}
