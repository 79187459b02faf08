/**
 * What a gateway route tells the layers around it: the route config the security gate and the
 * error handler read, and the error response a front door renders for a status.
 */
import type { DialectName } from '../canonical/types.ts';

export interface ErrorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Route config every gateway route carries; the security gate and error handler read it. */
export interface RouteConfig {
  dialect: DialectName;
  /** 'client-token': needs a client token when requireClientToken is on. */
  auth: 'client-token' | 'none';
  surface?: 'gateway' | 'control' | 'health';
}
