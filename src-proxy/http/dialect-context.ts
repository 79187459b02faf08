/**
 * What every front door's route handler can use: the store, the router, the provider adapters,
 * and the exchange that tracks one request from arrival to its history row.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DialectName } from '../canonical/types.ts';
import type { ModelMetadata } from '../domain/model-metadata.ts';
import type { ProviderKind } from '../domain/provider.ts';
import type { Settings } from '../domain/settings.ts';
import type { ProviderAdapter, UpstreamContext } from '../providers/types.ts';
import type { Router } from '../routing/router.ts';
import type { Store } from '../store/types.ts';
import type { UpstreamHttp } from '../upstream/http-client.ts';
import type { Exchange } from './exchange.ts';

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
