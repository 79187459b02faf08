/**
 * The base URLs a user pastes into their tools. The engine reports them while running; when it
 * is not running we still know the configured port, and the menu can offer the same addresses.
 */
import type { ProxyStatus } from '../../src-proxy/control/contract.ts';

export type Endpoints = NonNullable<ProxyStatus['endpoints']>;

export function endpointsFor(status: Pick<ProxyStatus, 'endpoints' | 'host' | 'port'>): Endpoints | null {
  if (status.endpoints) return status.endpoints;
  if (status.port === null || status.port === 0) return null;
  const host = status.host.includes(':') ? `[${status.host}]` : status.host;
  const base = `http://${host}:${status.port}`;
  return { openai: `${base}/v1`, anthropic: base, ollama: base };
}
