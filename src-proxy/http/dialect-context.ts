/**
 * What every front door's route handler can use: the store, the router, the provider catalog,
 * and the exchange that tracks one request from arrival to its history row.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChatCacheStep } from '../cache/cache-step.ts';
import type { ModelMetadata } from '../domain/model-metadata.ts';
import type { Settings } from '../domain/settings.ts';
import type { Policy } from '../policy/client-policy.ts';
import type { SessionStates } from '../policy/session-state.ts';
import type { ProviderCatalog, UpstreamContext } from '../providers/types.ts';
import type { Router } from '../routing/router.ts';
import type { Store } from '../store/types.ts';
import type { UpstreamHttp } from '../upstream/http-client.ts';
import type { Exchange } from './exchange.ts';

export interface DialectContext {
  store: Store;
  router: Router;
  /** The provider kinds this gateway serves (their spokes and adapters). */
  providers: ProviderCatalog;
  http: UpstreamHttp;
  settings(): Settings;
  /** The response cache's route step (aliases opt in). */
  cache: ChatCacheStep;
  /**
   * The policy step of the request path (after the client is identified, before routing): may
   * this client call this model now? http/admit-call.ts asks it; a refusal is a GatewayError the
   * front door renders. For an ungoverned client it only counts the call (its spend is shown).
   */
  policy: Policy;
  /** Per-session state of in-chat commands and loop counts (in memory, idle TTL). */
  sessions: SessionStates;
  version: string;
  /** Starts tracking a request (history row, abort on client close). */
  exchange(request: FastifyRequest, reply: FastifyReply, dialect: string, endpoint: string): Exchange;
  upstreamContext(exchange: Exchange): UpstreamContext;
  /** Refreshes stale model discovery (for a model name that did not resolve). */
  refreshStaleModels(): Promise<void>;
  /** Metadata (context window, capabilities…) for an exposed model name. */
  modelMetadata(name: string): ModelMetadata;
}
