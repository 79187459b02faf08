/**
 * The dialect-independent middle of every chat request: resolve the model, run the attempts
 * (same-dialect fast path when the provider speaks the client's dialect, canonical translation
 * otherwise) and hand back what the dialect renders.
 */
import type { ChatRequest, EmbeddingRequest, EmbeddingResponse } from '../canonical/types.ts';
import type { DialectContext } from './dialect-context.ts';
import { GatewayError } from '../errors/codes.ts';
import type { CanonicalStream, NativeCall, NativeStream, ProviderAdapter, ResolvedTarget } from '../providers/types.ts';
import type { Resolution } from '../routing/resolve-model.ts';
import type { Exchange } from './exchange.ts';

export type ChatOutcome =
  | { kind: 'native'; native: NativeStream; target: ResolvedTarget }
  | { kind: 'canonical'; stream: CanonicalStream; target: ResolvedTarget; request: ChatRequest };

/** Resolves a model name, refreshing stale model discovery once before giving up. */
export async function resolveWithRefresh(context: DialectContext, model: string): Promise<Resolution> {
  try {
    return context.router.resolve(model);
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== 'model_not_found') throw error;
    await context.refreshStaleModels();
    return context.router.resolve(model);
  }
}

function supportsNative(adapter: ProviderAdapter, endpoint: string, target: ResolvedTarget): boolean {
  return adapter.supportsNative ? adapter.supportsNative(endpoint, target.provider) : adapter.nativeEndpoints.has(endpoint);
}

export async function routeChat(
  context: DialectContext,
  exchange: Exchange,
  options: {
    model: string;
    /** Set when the client's body can go to a provider of the same dialect unchanged. */
    native?: NativeCall;
    toCanonical: () => ChatRequest;
  },
): Promise<ChatOutcome> {
  exchange.requestedModel = options.model;
  const resolution = await resolveWithRefresh(context, options.model);
  let canonical: ChatRequest | null = null;
  const upstream = context.upstreamContext(exchange);
  const { result, target } = await context.router.run(resolution, exchange.attempts, exchange.abort.signal, async (target, adapter) => {
    if (options.native && supportsNative(adapter, options.native.endpoint, target)) {
      return { kind: 'native' as const, native: await adapter.forward(options.native, target, upstream), target };
    }
    canonical ??= options.toCanonical();
    return { kind: 'canonical' as const, stream: await adapter.chat(canonical, target, upstream), target, request: canonical };
  });
  exchange.provider = target.provider.id;
  exchange.upstreamModel = target.model;
  return result;
}

export async function routeEmbeddings(context: DialectContext, exchange: Exchange, request: EmbeddingRequest): Promise<EmbeddingResponse> {
  exchange.requestedModel = request.model;
  const resolution = await resolveWithRefresh(context, request.model);
  const upstream = context.upstreamContext(exchange);
  const { result, target } = await context.router.run(resolution, exchange.attempts, exchange.abort.signal, (target, adapter) =>
    adapter.embed(request, target, upstream),
  );
  exchange.provider = target.provider.id;
  exchange.upstreamModel = target.model;
  exchange.setUsage({ inputTokens: result.usage.inputTokens, outputTokens: 0 });
  return result;
}
