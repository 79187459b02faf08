/**
 * A provider adapter turns canonical requests into one upstream's HTTP calls and the upstream's
 * bytes back into canonical events. Adding a provider kind = one folder + one registry line.
 */
import type { ChatRequest, EmbeddingRequest, EmbeddingResponse, StreamEvent } from '../canonical/types.ts';
import type { ProviderKind } from '../domain/provider.ts';
import type { ModelMetadata } from '../domain/model-metadata.ts';
import type { TargetOverrides } from '../domain/overrides.ts';
import type { ProviderRecord } from '../domain/provider.ts';
import type { ModelNameRule } from '../upstream/model-name.ts';
import type { UpstreamHttp, UpstreamResponse, UpstreamTimeouts } from '../upstream/http-client.ts';

/** One concrete place to send a request: provider, upstream model and the key chosen for it. */
export interface ResolvedTarget {
  provider: ProviderRecord;
  model: string;
  overrides?: TargetOverrides;
  /** Null for providers that need no key (a local Ollama). */
  key: { id: number; label: string; secret: string } | null;
  /** What is known of this model (alias > discovered > family defaults): context window, capabilities… */
  metadata?: ModelMetadata;
}

export interface UpstreamContext {
  http: UpstreamHttp;
  signal: AbortSignal;
  timeouts: UpstreamTimeouts;
  /** Headers from the client a provider of the same family may forward (anthropic-beta, …). */
  clientHeaders: Record<string, string | undefined>;
  /** Called with the exact body sent upstream when body capture is on. */
  captureUpstreamBody?: (body: string) => void;
}

/**
 * A canonical answer in progress. The router has already seen the first upstream chunk, so no
 * further fallback happens once this is returned.
 */
export interface CanonicalStream {
  events: AsyncIterable<StreamEvent>;
  /** Releases the upstream connection early (client went away). */
  dispose(): void;
}

/** Raw upstream bytes for a same-dialect pass-through. */
export interface NativeStream {
  response: UpstreamResponse;
  /** Body with the already-read first chunk put back. */
  body: AsyncIterable<Buffer>;
}

export interface NativeCall {
  /** Which native endpoint, e.g. 'openai.chat', 'openai.completions', 'anthropic.messages'. */
  endpoint: string;
  /** Parsed client body; the adapter rewrites only the model (and what the endpoint requires). */
  body: Record<string, unknown>;
  stream: boolean;
  /** The query string of the client's request, when the endpoint needs it. */
  query?: string;
}

export interface DiscoveredModelInfo {
  model: string;
  metadata: ModelMetadata;
}

export interface ProviderAdapter {
  readonly kind: ProviderKind;
  /** How the model name travels upstream; the router refuses names that do not fit (400). */
  readonly modelName: ModelNameRule;
  /** Native endpoints this kind can take unchanged from a client of the same dialect. */
  readonly nativeEndpoints: ReadonlySet<string>;
  /**
   * Per-provider answer to "can this endpoint go through unchanged?" for endpoints that depend
   * on the provider's options (an OpenAI-compatible server offering /v1/responses). When absent,
   * nativeEndpoints decides.
   */
  supportsNative?(endpoint: string, provider: ProviderRecord): boolean;
  chat(request: ChatRequest, target: ResolvedTarget, context: UpstreamContext): Promise<CanonicalStream>;
  embed(request: EmbeddingRequest, target: ResolvedTarget, context: UpstreamContext): Promise<EmbeddingResponse>;
  /** Same-dialect fast path; only called for endpoints in nativeEndpoints (or supportsNative). */
  forward(call: NativeCall, target: ResolvedTarget, context: UpstreamContext): Promise<NativeStream>;
  listModels(provider: ProviderRecord, key: ResolvedTarget['key'], context: UpstreamContext): Promise<DiscoveredModelInfo[]>;
  /** True when the provider can work without a key (local servers). */
  readonly keyOptional?: boolean;
}
