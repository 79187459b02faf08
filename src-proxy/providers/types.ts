/**
 * What a provider folder (providers/<kind>/) gives the engine: a ProviderSpoke declaring the kind
 * (label, options, presets, error shape, what it signs) and creating its adapter, which turns
 * canonical requests into one upstream's HTTP calls and the upstream's bytes back into canonical
 * events. Adding a provider kind = one folder + one line in providers/registry.ts.
 */
import type { MediaFetcher } from '../upstream/media-fetch.ts';
import type { ChatRequest, EmbeddingRequest, EmbeddingResponse, StreamEvent } from '../canonical/types.ts';
import type { Capability, ModelMetadata } from '../domain/model-metadata.ts';
import type { TargetOverrides } from '../domain/overrides.ts';
import type { AnswerNotes } from '../domain/history.ts';
import type { ProviderInput, ProviderRecord } from '../domain/provider.ts';
import type { KeyForm, OptionField, ProviderKindInfo, ProviderPreset } from '../domain/provider-kind.ts';
import type { ModelNameRule } from '../upstream/model-name.ts';
import type { UpstreamHttp, UpstreamResponse, UpstreamTimeouts } from '../upstream/http-client.ts';
import type { PacedCall } from '../upstream/pacing.ts';
import type { CallSignal } from '../upstream/call-signal.ts';

/** One concrete place to send a request: provider, upstream model and the key chosen for it. */
export interface ResolvedTarget {
  provider: ProviderRecord;
  model: string;
  overrides?: TargetOverrides;
  /** Null for providers that need no key (a local Ollama). */
  key: { id: number; label: string; secret: string; proxy?: string; /** The secret is an OAuth account's access token (routing/key-credentials.ts). */ account?: true } | null;
  /** What is known of this model (alias > discovered > family defaults): context window, capabilities… */
  metadata?: ModelMetadata;
  /** The outbound proxy this attempt goes through (routing/proxy-choice.ts); absent: direct. */
  proxy?: string;
}

export interface UpstreamContext {
  http: UpstreamHttp;
  signal: CallSignal;
  timeouts: UpstreamTimeouts;
  /** Headers from the client a provider of the same family may forward (anthropic-beta, …). */
  clientHeaders: Record<string, string | undefined>;
  /** Called with the exact body sent upstream when body capture is on. */
  captureUpstreamBody?: (body: string) => void;
  /** Where the call notes the HTTP version of the provider's answer, for the attempt's history entry. */
  answers?: AnswerNotes;
  /** Body capture's view of the upstream call (its headers and answer); absent when capture is off. */
  captureUpstream?: UpstreamCapture;
  /** Records what the provider changed in the request that the user would care about (history notes). */
  note?: (text: string) => void;
  /** Whose request this is, for the fair queue per upstream host (default: Switchboard's own). */
  client?: string;
  /** The target provider's pacing limits (set per attempt when it has any). */
  pace?: PacedCall;
  /** Downloads of client-given URLs (images a provider takes only inline); none: such URLs are refused. */
  media?: MediaFetcher;
}

/**
 * What body capture keeps of one upstream call (the translation view, issue 15): the headers it
 * sent and what came back. The call site (upstream/open-upstream.ts) reports; the request path
 * (http/upstream-capture.ts) keeps, bounded and redacted.
 */
export interface UpstreamCapture {
  /** The request as sent; `secrets` (the key) are scrubbed from whatever is kept. */
  request(call: { url: string; headers: Record<string, string>; secrets: readonly string[] }): void;
  /** A non-2xx answer, read whole by the caller. */
  failed(status: number, headers: Record<string, string | string[] | undefined>, text: string): void;
  /** A good answer: the same stream, its bytes kept as they are read. */
  answered(native: NativeStream): NativeStream;
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
  /**
   * The JSON bytes `body` was parsed from, when `body` is that parse unchanged: an adapter may
   * forward them with only its changes spliced in (wire/json-splice.ts) instead of re-serializing.
   */
  raw?: Buffer;
  stream: boolean;
  /** The query string of the client's request, when the endpoint needs it. */
  query?: string;
  /**
   * Called once forward() has built what it sends (its synchronous part): the front door may let
   * go of the parsed body, which `body` then parses again from `raw` if asked (http/forwarded-body.ts).
   */
  release?(): void;
}

export interface DiscoveredModelInfo {
  model: string;
  metadata: ModelMetadata;
}

export interface ProviderAdapter {
  readonly kind: string;
  /** How the model name travels upstream; the router refuses names that do not fit (400). */
  readonly modelName: ModelNameRule;
  /**
   * Whether this provider takes a same-dialect body for this endpoint unchanged (the fast path).
   * The one check every route uses; it may depend on the provider's options (an
   * OpenAI-compatible server offering /v1/responses).
   */
  supportsNative(endpoint: string, provider: ProviderRecord): boolean;
  chat(request: ChatRequest, target: ResolvedTarget, context: UpstreamContext): Promise<CanonicalStream>;
  embed(request: EmbeddingRequest, target: ResolvedTarget, context: UpstreamContext): Promise<EmbeddingResponse>;
  /** Same-dialect fast path; only called when supportsNative said yes. May throw before the call starts (the router catches either way). */
  forward(call: NativeCall, target: ResolvedTarget, context: UpstreamContext): Promise<NativeStream>;
  listModels(provider: ProviderRecord, key: ResolvedTarget['key'], context: UpstreamContext): Promise<DiscoveredModelInfo[]>;
}

/** A provider folder's declaration: everything the engine and the dashboard need of the kind. */
export interface ProviderSpoke<Kind extends string = string> {
  readonly kind: Kind;
  /** Shown in the dashboard, e.g. "OpenAI-compatible". */
  readonly label: string;
  /** Provider-specific options: validated and rendered from this one description. */
  readonly options: readonly OptionField[];
  /** Known services of this kind (the dashboard's "add provider" choices). */
  readonly presets: readonly ProviderPreset[];
  /** The kind works without a key (a local server); the router then calls it keyless. */
  readonly keyOptional?: boolean;
  /** How the dashboard asks for its key when one password field is not enough (cloud credentials). */
  readonly keyForm?: KeyForm;
  /**
   * The wire shape of this upstream's error bodies ('openai', 'anthropic', …). A front door whose
   * own error shape is the same passes such bodies through unchanged (its SDK reads them).
   */
  readonly errorShape: string;
  /**
   * True when answers carry signed reasoning that must come back to this kind verbatim (Anthropic
   * thinking signatures, Gemini thought signatures, OpenAI encrypted reasoning); a front door
   * with a slot for it (Responses `encrypted_content`) keeps it only for these kinds.
   */
  readonly signsReasoning: boolean;
  /**
   * What a model of this kind can do when nothing else says (no alias metadata, no discovered
   * capabilities, no known family). Cloud chat APIs all take tools, and IDEs hide models without
   * `tools` from agent modes; a kind whose upstream reports capabilities (Ollama) omits this.
   */
  readonly unknownModelCapabilities?: readonly Capability[];
  /** A fresh adapter, with its own caches; the registry creates one per gateway. */
  createAdapter(): ProviderAdapter;
}

/** The provider kinds one gateway serves: its spokes, their adapters, and checks over them. */
export interface ProviderCatalog {
  readonly kinds: readonly string[];
  spoke(kind: string): ProviderSpoke | undefined;
  adapter(kind: string): ProviderAdapter | undefined;
  /** What the dashboard shows, in registry order. */
  describe(): ProviderKindInfo[];
  /**
   * Checks a provider against its kind: the kind exists and the options match its description.
   * Throws GatewayError('invalid_request') naming the field.
   */
  check(input: ProviderInput): ProviderInput;
}
