/**
 * What a gateway route tells the layers around it: the route config the security gate and the
 * error handler read, the error response a front door renders for a status, and where a door's
 * clients put their token.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface ErrorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Route config every gateway route carries; the security gate and error handler read it. */
export interface RouteConfig {
  /** The front door that registered the route (dialects/<name>/). */
  dialect: string;
  /** 'client-token': needs a client token when requireClientToken is on. */
  auth: 'client-token' | 'none';
  surface?: 'gateway' | 'control' | 'health';
}

/** Reads the client token a request presents (null: none), from the headers or the query string. */
export type ClientTokenSource = (request: { headers: IncomingHttpHeaders; query: unknown }) => string | null;
