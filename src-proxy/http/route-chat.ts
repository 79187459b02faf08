/**
 * The dialect-independent middle of every model call: apply the policy step, resolve the model
 * (refreshing stale discovery once), apply the alias's routing rules, run the attempts over
 * targets and keys, and record which provider and model answered. Each attempt takes the
 * same-dialect fast path when the target's provider takes the client's body unchanged
 * (ProviderAdapter.supportsNative), and the translated path otherwise.
 * Chat, embeddings and token counting all pass through here: nothing else calls the router.
 */
import { withFields } from '../wire/with-fields.ts';
import type { ChatRequest, EmbeddingRequest, EmbeddingResponse, StreamEvent } from '../canonical/types.ts';
import { GatewayError } from '../errors/codes.ts';
import type { CanonicalStream, NativeCall, NativeStream, ProviderAdapter, ResolvedTarget, UpstreamContext } from '../providers/types.ts';
import type { Resolution } from '../routing/resolve-model.ts';
import type { RouteSuccess } from '../routing/router.ts';
import { applyRoutingRules, canonicalFacts } from '../routing/routing-rules.ts';
import type { DialectContext } from './dialect-context.ts';
import type { Exchange } from './exchange.ts';
import { CACHE_HEADER } from '../cache/cache-step.ts';
import { replayStream } from '../cache/replay.ts';
import { FastPathAnswerKeep } from './answer-keep.ts';
import { admitModelCall, checkModelAccess, estimateRequestTokens } from './admit-call.ts';
import { hasProviderLimits } from '../domain/governance.ts';
import type { PacedCall } from '../upstream/pacing.ts';
import { forAttempt } from '../upstream/http-client.ts';
import { tapTextLoops } from '../taps/text-loop-tap.ts';
import { SESSION_HEADER, sessionIdOf, sessionSeedOf, type SessionSeed } from '../policy/session-id.ts';
import { findToolLoop, toolLoopAnswer, withToolLoopWarning } from '../taps/tool-loops.ts';
import { commandTurn } from './command-turn.ts';
import { commandAnswer } from '../policy/command-strip.ts';
import { withCommandNote } from '../policy/command-note.ts';
import type { LoopFinding } from '../domain/guardrails.ts';

/** Resolves a model name, refreshing stale model discovery once before giving up. */
export async function resolveWithRefresh(context: DialectContext, model: string): Promise<Resolution> {
  return resolveOrRefresh(context, model);
}

/** resolveWithRefresh without a promise when the name resolves at once (every model call's case). */
function resolveOrRefresh(context: DialectContext, model: string): Resolution | Promise<Resolution> {
  try {
    return context.router.resolve(model);
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== 'model_not_found') throw error;
    return context.refreshStaleModels().then(() => context.router.resolve(model));
  }
}

export type RoutedOutcome<T> = { kind: 'native'; native: NativeStream; target: ResolvedTarget } | { kind: 'translated'; value: T; target: ResolvedTarget };

interface CallOptions<T> {
  native?: NativeCall;
  translate: (target: ResolvedTarget, adapter: ProviderAdapter, upstream: UpstreamContext) => Promise<T>;
  /** The policy step for this call (see resolveCall); default 'limits'. */
  admission?: Admission;
  /** The canonical request (parsed at most once), for routing rules on thinking, images or size. */
  request?: () => ChatRequest;
  /** Called once the native call's bytes are built: the caller lets go of what it parsed (see routeChat). */
  forwarded?: () => void;
}

/**
 * 'limits': a model call, admitted against the client's access rules, limits and budgets (and
 * settled when the exchange ends). 'access': the access rules only — enabled, expiry, allowed
 * models — for calls that reach no model's answer (token counting).
 */
type Admission = 'limits' | 'access';

/**
 * Policy → resolve → rules → run → record. `native` (when given) goes upstream unchanged to a
 * provider that takes it; `translate` runs for every other target.
 */
export async function routeCall<T>(context: DialectContext, exchange: Exchange, model: string, options: CallOptions<T>): Promise<RoutedOutcome<T>> {
  const resolving = resolveCall(context, exchange, model, options.admission ?? 'limits', options.request);
  return runCall(context, exchange, resolving instanceof Promise ? await resolving : resolving, options);
}

/**
 * The policy step's word on the model name the client asked for (before anything of it is
 * resolved: a refused client learns nothing about what exists), then the name resolved to targets
 * (the alias's first matching rule leading). An alias without rules costs one length check.
 */
function resolveCall(context: DialectContext, exchange: Exchange, model: string, admission: Admission, request: () => ChatRequest = noChatRequest): Resolution | Promise<Resolution> {
  exchange.requestedModel = model;
  if (admission === 'access') checkModelAccess(context, exchange.request, model);
  else {
    // A shared store's limits answer later; a local one at once (then no promise on the way).
    const pending = admitModelCall(context, exchange, model);
    if (pending) return pending.then(() => resolveAdmitted(context, exchange, model, request));
  }
  return resolveAdmitted(context, exchange, model, request);
}

function resolveAdmitted(context: DialectContext, exchange: Exchange, model: string, request: () => ChatRequest): Resolution | Promise<Resolution> {
  const resolving = resolveOrRefresh(context, model);
  return resolving instanceof Promise ? resolving.then((resolution) => applyRules(exchange, model, resolution, request)) : applyRules(exchange, model, resolving, request);
}

function applyRules(exchange: Exchange, model: string, resolution: Resolution, request: () => ChatRequest): Resolution {
  if (!resolution.alias || resolution.alias.rules.length === 0) return resolution;
  const ruled = applyRoutingRules(resolution, canonicalFacts(model, exchange.client, request));
  exchange.routeRule = ruled.rule;
  // "Try it" and curl users see which rule led; a rule's name may hold any text.
  if (ruled.rule) exchange.reply.raw.setHeader('x-switchboard-route-rule', ruled.rule.replace(/[^\x20-\x7e]/g, '?'));
  return ruled;
}

/** Stands in where no cache fill asks who answered. */
function noAnswerer(): { provider: string | null; model: string | null } {
  return { provider: null, model: null };
}

/** Session derivation switched off: only a client's x-session-id names a session. */
function noConversation(): null {
  return null;
}

/** Calls that are no chat (embeddings) give rules no request to read: no thinking, no images. */
function noChatRequest(): ChatRequest {
  return { model: '', system: [], messages: [], stream: false, extra: {} };
}

/** A translated attempt's value, told apart from a fast-path answer (which goes unwrapped: no object per call). */
class Translated<T> {
  constructor(readonly value: T) {}
}

function translated<T>(value: T): Translated<T> {
  return new Translated(value);
}

/** Runs the attempts over the resolved targets and records which provider and model answered. */
async function runCall<T>(context: DialectContext, exchange: Exchange, resolution: Resolution, options: CallOptions<T>): Promise<RoutedOutcome<T>> {
  return outcomeOf(exchange, await context.router.run(resolution, exchange.attempts, exchange.abort.signal, attemptWith(context, exchange, options), exchange));
}

/**
 * One attempt at a target: the client's body unchanged to a provider that takes it, the translated
 * call otherwise. Not an async function: the fast path hands the provider's own promise to the
 * router (no frame or promise of its own per call).
 */
function attemptWith<T>(context: DialectContext, exchange: Exchange, options: CallOptions<T>): (target: ResolvedTarget, adapter: ProviderAdapter) => Promise<NativeStream | Translated<T>> {
  const upstream = context.upstreamContext(exchange);
  const { native, translate, forwarded } = options;
  return (target, adapter) => {
    const paced = hasProviderLimits(target.provider.limits) ? pacedUpstream(upstream, exchange, target) : upstream;
    // The attempt's outbound proxy (routing/proxy-choice.ts) and HTTP/2 choice; a direct HTTP/1.1 call adds nothing here.
    const call = target.proxy || target.provider.http2 ? withFields(paced, { http: forAttempt(paced.http, { proxy: target.proxy, http2: target.provider.http2 }) }) : paced;
    if (native && adapter.supportsNative(native.endpoint, target.provider)) {
      const forwarding = adapter.forward(native, target, call);
      // The bytes are built: the parsed body need not live through the upstream wait.
      native.release?.();
      forwarded?.();
      return forwarding;
    }
    return translate(target, adapter, call).then(translated);
  };
}

/** Records which provider and model answered, and what kind of answer it is. */
function outcomeOf<T>(exchange: Exchange, success: RouteSuccess<NativeStream | Translated<T>>): RoutedOutcome<T> {
  const { result, target } = success;
  exchange.provider = target.provider.id;
  exchange.upstreamModel = target.model;
  return result instanceof Translated ? { kind: 'translated', value: result.value, target } : { kind: 'native', native: result, target };
}

/** The upstream context of one attempt at a provider with pacing limits (upstream/pacing.ts). */
function pacedUpstream(upstream: UpstreamContext, exchange: Exchange, target: ResolvedTarget): UpstreamContext {
  const pace: PacedCall = { provider: target.provider.id, limits: target.provider.limits, tokens: estimateRequestTokens(exchange.request) };
  exchange.paced = pace;
  return withFields(upstream, { pace });
}

export type ChatOutcome =
  | { kind: 'native'; native: NativeStream; target: ResolvedTarget }
  /** `target.model`: the upstream model that answered (for a cache hit, the one that answered first). */
  | { kind: 'canonical'; stream: CanonicalStream; target: Pick<ResolvedTarget, 'model'>; request: ChatRequest };

/**
 * What a front door can read straight from the client's body, so the same-dialect fast path
 * derives the session and skips the tool-loop check without parsing the conversation to
 * canonical form. Each answer must equal what the canonical request would give (or say "ask the
 * canonical request"): the fast and the translated path put a conversation in the same session.
 */
export interface ConversationPeek {
  /** The session seed as sessionSeedOf would read it from the canonical request, or null: parse. */
  sessionSeed(): SessionSeed | null;
  /** False only when the conversation's last turn is certainly the user's (no tool call to repeat). */
  mayEndInToolCalls(): boolean;
  /**
   * How many assistant turns in a row at the end made the same tool call(s), as
   * trailingToolRepeats counts them in the canonical request (0: the last turn called none), or
   * null: ask the canonical request. For a body the canonical reader refuses any count will do:
   * only a count below the limit is taken on trust, and that body has no loop to find either.
   */
  toolCallRepeats?(): number | null;
}

/**
 * A front door's own answer format read back into canonical events: a whole answer's bytes as the
 * provider sent them on the fast path (one JSON body, or the complete stream).
 */
export type AnswerReader = (bytes: Buffer, stream: boolean) => AsyncIterable<StreamEvent> | Iterable<StreamEvent>;

/**
 * A chat request: fast path when possible, the canonical request (parsed once) otherwise. An
 * alias with a response cache replays a kept answer (no upstream call) or keeps the fresh one in
 * canonical form, which every front door renders. A miss stays on the fast path when the front
 * door can read its answer back (`readAnswer`): the bytes go out untouched and are kept after the
 * fact; otherwise it takes the canonical path and is kept from its events.
 */
export async function routeChat(
  context: DialectContext,
  exchange: Exchange,
  options: { model: string; native?: NativeCall; toCanonical: () => ChatRequest; peek?: ConversationPeek; readAnswer?: AnswerReader },
): Promise<ChatOutcome> {
  let read: ChatRequest | null = null;
  let canonical: ChatRequest | null = null;
  // Sessions, commands and tool loops read the conversation. On the fast path a body the
  // canonical model cannot read still goes upstream unchanged, as it always did, only without
  // them (the translated path parses again and reports the error).
  const conversation = () => {
    try {
      return (read ??= options.toCanonical());
    } catch {
      return null;
    }
  };
  // The session seed straight from the client's body when its front door can read it there (no
  // canonical parse on the fast path), else from the canonical request.
  const { peek } = options;
  const seed = (): SessionSeed | null => {
    const fromBody = peek?.sessionSeed();
    if (fromBody) return fromBody;
    const readable = conversation();
    return readable ? sessionSeedOf(readable) : null;
  };
  const sessions = context.settings().sessions;
  exchange.sessionId = sessionIdOf(exchange.request.headers[SESSION_HEADER], exchange.client, sessions.derive ? seed : noConversation);
  // The policy step's commands: a turn of commands only is answered here, before any admission.
  const turning = commandTurn(context, exchange, options.model, conversation);
  const turn = turning instanceof Promise ? await turning : turning;
  if (turn.answer !== null) {
    exchange.requestedModel = options.model;
    checkModelAccess(context, exchange.request, null);
    return { kind: 'canonical', stream: { events: replayStream(commandAnswer(turn.answer, options.model)), dispose: () => undefined }, request: (read ??= options.toCanonical()), target: { model: options.model } };
  }
  const parsed = () => (canonical ??= turn.rewrite ? turn.rewrite((read ??= options.toCanonical())) : (read ??= options.toCanonical()));
  const resolving = resolveCall(context, exchange, turn.model, 'limits', parsed);
  const resolution = resolving instanceof Promise ? await resolving : resolving;
  const loops = context.settings().loopDetection;
  const sessionLoops = turn.state?.loops !== false;
  const onLoop = (finding: LoopFinding) => {
    exchange.loop = finding;
    if (exchange.sessionId !== null) context.sessions.open(exchange.sessionId).loopsFound++;
  };
  // Only a conversation that may end in the agent's tool calls is read for a tool loop.
  let warned = false;
  const finding = loops.toolCalls.enabled && sessionLoops && mayRepeatToolCalls(peek, loops.toolCalls.maxRepeats) ? toolLoopIn(conversation(), loops.toolCalls) : null;
  if (finding) {
    onLoop(finding);
    // The agent gets an assistant message saying what it repeated; no provider is called.
    if (finding.action === 'blocked') {
      return { kind: 'canonical', stream: { events: replayStream(toolLoopAnswer(finding, options.model)), dispose: () => undefined }, request: parsed(), target: { model: options.model } };
    }
    // chance_then_block's one chance goes upstream with the warning in its system prompt.
    if (finding.action === 'allowed_once') {
      canonical = withToolLoopWarning(parsed(), finding);
      warned = true;
    }
  }
  // An alias without a cache costs one property read (open() would answer null).
  const aliasCache = resolution.alias?.cache;
  const cache = aliasCache ? await context.cache.open({ headers: exchange.request.headers, cache: aliasCache, targets: resolution.targets, request: parsed }) : null;
  if (cache) {
    exchange.cache = cache.status;
    exchange.reply.raw.setHeader(CACHE_HEADER, cache.header);
  }
  if (cache?.hit) {
    const { hit } = cache;
    exchange.provider = hit.provider;
    exchange.upstreamModel = hit.model;
    const replayed = replayStream(hit.answer);
    return { kind: 'canonical', stream: { events: turn.note === null ? replayed : withCommandNote(replayed, turn.note), dispose: () => undefined }, request: parsed(), target: { model: hit.model } };
  }
  const { readAnswer, native } = options;
  const answeredBy = cache?.fills ? () => ({ provider: exchange.provider, model: exchange.upstreamModel }) : noAnswerer;
  // The router's run awaited here, not through runCall: one async step less per call.
  const attempt = attemptWith(context, exchange, {
    // Stripped commands, session overrides and a tool-loop warning exist only in the canonical request.
    native: (cache?.fills && !readAnswer) || turn.rewrite || warned ? undefined : native,
    translate: async (target, adapter, upstream) => ({ stream: await adapter.chat(parsed(), target, upstream), request: parsed() }),
    // The canonical request read for the session, commands, tool loops, rules or the cache key
    // (a coding agent's turn ending in a tool result is read for tool loops) holds the
    // conversation's strings: it need not live through the upstream wait and the answer either.
    // On the fast path it is the client's body parsed as it came (no rewrite, no warning: those
    // leave the fast path), so a failover to a translated target parses the same again.
    forwarded: read === null ? undefined : () => {
      read = null;
      canonical = null;
    },
  });
  const outcome = outcomeOf(exchange, await context.router.run(resolution, exchange.attempts, exchange.abort.signal, attempt, exchange));
  if (outcome.kind === 'native') {
    if (loops.enabled && sessionLoops) exchange.loopWatch = { settings: loops, onLoop };
    // Read back once the answer went out (the client is not waiting on it). Only microtasks up to
    // the store's write: the next request, even one sent the moment this answer arrived, finds it.
    if (cache?.fills && readAnswer) exchange.keepAnswer = new FastPathAnswerKeep(cache, readAnswer, native!.stream, exchange);
    return outcome;
  }
  const { stream, request } = outcome.value;
  const filled = cache?.fills ? cache.fill(stream.events, answeredBy) : stream.events;
  // Outside the cache's fill: an answer cut for looping ends early, so it is never kept.
  const watched = loops.enabled && sessionLoops ? tapTextLoops(filled, loops, { onLoop, estimateInput: () => estimateRequestTokens(exchange.request), onEstimated: () => (exchange.estimated = true) }) : filled;
  // Outside the fill too: the answer to !/help or !/status beside a question is no part of the kept answer.
  const events = turn.note === null ? watched : withCommandNote(watched, turn.note);
  return { kind: 'canonical', stream: { events, dispose: stream.dispose }, request, target: outcome.target };
}

/**
 * Whether the tool-loop check must read the canonical request: not when the client's body shows
 * the user spoke last, or the trailing calls repeat fewer times than the limit (findToolLoop's
 * null). A coding agent's turn ending in a tool result is then checked without the parse.
 */
function mayRepeatToolCalls(peek: ConversationPeek | undefined, maxRepeats: number): boolean {
  if (!peek) return true;
  if (!peek.mayEndInToolCalls()) return false;
  const repeats = peek.toolCallRepeats?.() ?? null;
  return repeats === null || repeats >= maxRepeats;
}

/**
 * The tool-loop finding of a conversation (null: none, or a body the canonical model cannot read).
 * Its own function so that routeChat, an async function that keeps its locals through every
 * await, never holds the canonical request in one.
 */
function toolLoopIn(conversation: ChatRequest | null, settings: Parameters<typeof findToolLoop>[1]): LoopFinding | null {
  return conversation ? findToolLoop(conversation, settings) : null;
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
