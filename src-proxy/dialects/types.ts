/**
 * An inbound dialect owns the routes a client calls, parses the client's body into the canonical
 * request, and renders canonical events back as that client's wire format, errors included.
 * Adding a dialect = one folder + one line in registry.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DialectName, ProviderKind } from '../canonical/types.ts';
import type { ModelMetadata, Settings } from '../control/contract.ts';
import type { GatewayError } from '../errors/codes.ts';
import type { Exchange } from '../http/exchange.ts';
import type { ProviderAdapter, UpstreamContext } from '../providers/types.ts';
import type { Router } from '../routing/router.ts';
import type { Store } from '../store/types.ts';
import type { UpstreamHttp } from '../upstream/http-client.ts';

export interface ErrorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What every route handler can use. */
export interface DialectContext {
  store: Store;
  router: Router;
  adapters: ReadonlyMap<ProviderKind, ProviderAdapter>;
  http: UpstreamHttp;
  settings(): Settings;
  version: string;
  /** Starts tracking a request (history row, abort on client close). */
  exchange(request: FastifyRequest, reply: FastifyReply, dialect: DialectName, endpoint: string): Exchange;
  upstreamContext(exchange: Exchange): UpstreamContext;
  /** Refreshes stale model discovery (for a model name that did not resolve). */
  refreshStaleModels(): Promise<void>;
  /** Metadata (context window, capabilities…) for an exposed model name. */
  modelMetadata(name: string): ModelMetadata;
}

export interface Dialect {
  readonly name: DialectName;
  /** The dialect's error body for a status (before any byte of the answer was sent). */
  renderError(error: GatewayError): ErrorResponse;
  register(app: FastifyInstance, context: DialectContext): void;
}

/** Route config every gateway route carries; the security hooks and error handler read it. */
export interface RouteConfig {
  dialect: DialectName;
  /** 'client-token': needs a client token when requireClientToken is on. */
  auth: 'client-token' | 'none';
  surface?: 'gateway' | 'control' | 'health';
}
