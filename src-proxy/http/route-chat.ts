/**
 * The dialect-independent middle of every model call: resolve the model (refreshing stale
 * discovery once), apply the policy step, run the attempts over targets and keys, and record which
 * provider and model answered. Each attempt takes the same-dialect fast path when the target's provider takes the
 * client's body unchanged (ProviderAdapter.supportsNative), and the translated path otherwise.
 * Chat, embeddings and token counting all pass through here: nothing else calls the router.
 */
import type { ChatRequest, EmbeddingRequest, EmbeddingResponse } from '../canonical/types.ts';
import { GatewayError } from '../errors/codes.ts';
import type { CanonicalStream, NativeCall, NativeStream, ProviderAdapter, ResolvedTarget, UpstreamContext } from '../providers/types.ts';
import type { Resolution } from '../routing/resolve-model.ts';
import type { DialectContext } from './dialect-context.ts';
import type { Exchange } from './exchange.ts';

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

export type RoutedOutcome<T> = { kind: 'native'; native: NativeStream; target: ResolvedTarget } | { kind: 'translated'; value: T; target: ResolvedTarget };

/**
 * Resolve → run → record. `native` (when given) goes upstream unchanged to a provider that takes
 * it; `translate` runs for every other target.
 */
export async function routeCall<T>(
  context: DialectContext,
  exchange: Exchange,
  model: string,
  options: {
    native?: NativeCall;
    translate: (target: ResolvedTarget, adapter: ProviderAdapter, upstream: UpstreamContext) => Promise<T>;
  },
): Promise<RoutedOutcome<T>> {
  exchange.requestedModel = model;
  const resolution = await resolveWithRefresh(context, model);
  context.policy?.(exchange, resolution);
  const upstream = context.upstreamContext(exchange);
  const { native, translate } = options;
  const { result, target } = await context.router.run(resolution, exchange.attempts, exchange.abort.signal, async (target, adapter): Promise<RoutedOutcome<T>> => {
    if (native && adapter.supportsNative(native.endpoint, target.provider)) {
      return { kind: 'native', native: await adapter.forward(native, target, upstream), target };
    }
    return { kind: 'translated', value: await translate(target, adapter, upstream), target };
  });
  exchange.provider = target.provider.id;
  exchange.upstreamModel = target.model;
  return result;
}

export type ChatOutcome =
  | { kind: 'native'; native: NativeStream; target: ResolvedTarget }
  | { kind: 'canonical'; stream: CanonicalStream; target: ResolvedTarget; request: ChatRequest };

/** A chat request: fast path when possible, the canonical request (parsed once) otherwise. */
export async function routeChat(
  context: DialectContext,
  exchange: Exchange,
  options: { model: string; native?: NativeCall; toCanonical: () => ChatRequest },
): Promise<ChatOutcome> {
  let canonical: ChatRequest | null = null;
  const outcome = await routeCall(context, exchange, options.model, {
    native: options.native,
    translate: async (target, adapter, upstream) => {
      canonical ??= options.toCanonical();
      return { stream: await adapter.chat(canonical, target, upstream), request: canonical };
    },
  });
  if (outcome.kind === 'native') return outcome;
  return { kind: 'canonical', stream: outcome.value.stream, request: outcome.value.request, target: outcome.target };
}

/**
 * Embeddings: the client's body unchanged to a provider that takes it (`native`), canonical
 * vectors from any other (`build` runs only then, and may refuse input only native targets take).
 */
export async function routeEmbeddings(
  context: DialectContext,
  exchange: Exchange,
  model: string,
  build: () => EmbeddingRequest,
  native?: NativeCall,
): Promise<RoutedOutcome<EmbeddingResponse>> {
  const outcome = await routeCall(context, exchange, model, { native, translate: (target, adapter, upstream) => adapter.embed(build(), target, upstream) });
  if (outcome.kind === 'translated') exchange.setUsage({ inputTokens: outcome.value.usage.inputTokens, outputTokens: 0 });
  return outcome;
}
