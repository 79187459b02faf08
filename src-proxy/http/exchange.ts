/**
 * One client request from arrival to its history row: the abort controller that reaches the
 * upstream when the client leaves (also before the first upstream byte), the attempt trail,
 * timing, token counts, and the in-flight registration used by a draining stop.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Usage } from '../canonical/types.ts';
import { makeId } from '../canonical/ids.ts';
import type { Attempt, UpstreamProtocol } from '../domain/history.ts';
import type { CacheStatus } from '../domain/response-cache.ts';
import type { AnswerKeep } from './answer-keep.ts';
import { GatewayError } from '../errors/codes.ts';
import { CallAbort } from '../upstream/call-signal.ts';
import type { ErrorResponse } from './route-config.ts';
import type { PacedCall } from '../upstream/pacing.ts';
import type { HistoryRecord } from '../domain/history.ts';
import type { LoopFinding, LoopWatch } from '../domain/guardrails.ts';
import { clientNameFromUserAgent } from './client-name.ts';
import type { CaptureRedactor } from '../security/capture-redaction.ts';
import { clientKeyOf, clientTokenNameOf } from './client-identity.ts';
import type { Admitted } from '../policy/client-policy.ts';
import type { DeadlineEntry, DeadlineList, Deadlines } from './deadlines.ts';
import { boundCapture, createUpstreamCapture, type UpstreamCaptureState } from './upstream-capture.ts';
import { replyHeaders, settleContentType } from './reply-headers.ts';
import type { InFlight, InFlightNode, InFlightRequests } from './in-flight.ts';
import { mergeUsage } from '../canonical/usage.ts';

export type { InFlight } from './in-flight.ts';

export interface ExchangeDeps {
  record(record: HistoryRecord): void;
  /** Resolves once the rows recorded so far are durable (history/journal.ts). */
  durable(): Promise<void>;
  inflight: InFlightRequests;
  /** Body capture: the redaction list it passes through, or null when capture is off. */
  capture(): CaptureRedactor | null;
  /** The dialect's error body, for a request ended by a draining stop before it answered. */
  renderError(dialect: string, error: GatewayError): ErrorResponse;
  /** Error shape of a configured provider's upstream (whether its error body fits the client). */
  providerErrorShape(providerId: string): string | undefined;
  /** The policy admitted this request's model call; it ended now (answered, failed or aborted). */
  settle(admitted: Admitted, usage: { model: string | null; inputTokens: number; outputTokens: number }): void;
  /** A paced upstream call of this request ended: its real token count replaces the estimate. */
  correctPacing?(call: PacedCall, tokens: number): void;
  /** The request deadlines (http/deadlines.ts): one timer per budget, none per request. */
  deadlines: Deadlines;
  /** Counts streamed answers in progress (metrics; absent when they are off). */
  streams?: { opened(): void; closed(): void };
  now?: () => number;
}

/** The exchange of a response (set in its constructor), for the one shared 'close' listener. */
const EXCHANGE = Symbol('switchboard.exchange');
type WithExchange = ServerResponse & { [EXCHANGE]?: Exchange };

/**
 * res 'close' without writableEnded = the client went away: abort the upstream call, whether or
 * not its first byte has arrived. The reason travels with the abort, so whatever fails from it is
 * recorded as the client leaving (499), not as an upstream failure. One function for every
 * response (no closure per request).
 */
function onResponseClose(this: WithExchange): void {
  if (!this.writableEnded) this[EXCHANGE]?.abort.abort(new GatewayError('client_closed'));
}

export class Exchange implements InFlight, DeadlineEntry, InFlightNode {
  readonly id = makeId('req_');
  readonly startedAt: number;
  /** The request's abort (upstream/call-signal.ts: no AbortSignal per request). */
  readonly abort = new CallAbort();
  readonly attempts: Attempt[] = [];
  /** The HTTP version of the current attempt's answer (AnswerNotes: the router reads it into the attempt). */
  upstreamProtocol: UpstreamProtocol | undefined = undefined;
  requestedModel: string | null = null;
  provider: string | null = null;
  upstreamModel: string | null = null;
  stream = false;
  ttftMs: number | null = null;
  usage: Partial<Usage> | null = null;
  estimated = false;
  /** What Switchboard changed in the request that the user would care about (HistoryRecord.notes). */
  readonly notes: string[] = [];
  /** How the response cache served this request (null: its route does not cache). */
  cache: CacheStatus | null = null;
  /** A replayed answer's usage: tokens saved, not used (nothing is billed for a hit). */
  private savedUsage: Partial<Usage> | null = null;
  /** Set by the policy step (http/admit-call.ts); settled once in finish(). */
  admitted: Admitted | null = null;
  /** The last attempt's provider pacing (http/route-chat.ts), corrected once in finish(). */
  paced: PacedCall | null = null;
  /** The session this request belongs to (policy/sessions). */
  sessionId: string | null = null;
  /** The alias rule that put its targets first (routing/routing-rules.ts). */
  routeRule: string | null = null;
  /** What a loop detector found in the answer (taps/). */
  loop: LoopFinding | null = null;
  /** Text loop detection for a fast-path answer (http/passthrough-loops.ts); null: not watched. */
  loopWatch: LoopWatch | null = null;
  /**
   * A cache miss answered on the fast path (http/route-chat.ts): the upstream's bytes, whole and
   * complete, are handed here after they went out; null: nothing to keep. Not a closure (http/answer-keep.ts).
   */
  keepAnswer: AnswerKeep | null = null;
  /** In-chat commands the request applied (policy/commands). */
  commands: string[] | null = null;
  /** Turns a previous_response_id brought in (Responses door): not in the raw body, still read for commands. */
  keptTurns: readonly unknown[] | null = null;
  private finished = false;
  private streaming = false;
  // The total time budget's place in its deadline list (http/deadlines.ts); not armed: null list.
  deadlineAt = 0;
  deadlinePrev: DeadlineEntry | null = null;
  deadlineNext: DeadlineEntry | null = null;
  deadlineList: DeadlineList | null = null;
  // Its place in the requests in flight (http/in-flight.ts) and how a draining stop ends it now.
  inflightPrev: InFlightNode | null = null;
  inflightNext: InFlightNode | null = null;
  inflightList: InFlightRequests | null = null;
  stopper: InFlight = this;
  private clientBody: string | null = null;
  private upstreamBody: string | null = null;
  private responseBody: string | null = null;
  readonly captureBodies: boolean;
  /** The upstream leg's headers and answer (translation view); null while capture is off. */
  readonly upstreamCapture: UpstreamCaptureState | null;
  private readonly redactor: CaptureRedactor | null;
  /** Open-stream counting as it was when the request arrived (opened and closed on the same gauge). */
  private readonly streamGauge: ExchangeDeps['streams'];

  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    readonly dialect: string,
    readonly endpoint: string,
    private readonly deps: ExchangeDeps,
  ) {
    this.startedAt = (deps.now ?? Date.now)();
    this.streamGauge = deps.streams;
    this.redactor = deps.capture();
    this.captureBodies = this.redactor !== null;
    this.upstreamCapture = this.redactor ? createUpstreamCapture() : null;
    if (this.redactor && request.body !== undefined) this.clientBody = JSON.stringify(this.redactor.json(request.body));
    (reply.raw as WithExchange)[EXCHANGE] = this;
    reply.raw.on('close', onResponseClose);
    // Until an answer starts streaming, a draining stop ends this request with an error status (terminate).
    deps.inflight.add(this);
  }

  /** A draining stop before the answer started streaming: the dialect's error, with an error status if nothing was sent. */
  terminate(error: GatewayError): void {
    this.abort.abort(error);
    const { reply } = this;
    if (reply.sent || reply.raw.headersSent) return;
    const rendered = this.deps.renderError(this.dialect, error);
    this.finish(rendered.status, error);
    reply.code(rendered.status).headers(rendered.headers ?? {}).send(rendered.body);
  }

  get client(): string {
    return clientTokenNameOf(this.request) ?? clientNameFromUserAgent(this.request.headers['user-agent']);
  }

  /** Whose request this is, for state kept per client (see http/client-identity.ts). */
  get clientKey(): string {
    return clientKeyOf(this.request);
  }

  /** Error shape of the provider the last attempt went to, if any. */
  lastUpstreamErrorShape(): string | undefined {
    const provider = this.attempts.at(-1)?.provider;
    return provider === undefined ? undefined : this.deps.providerErrorShape(provider);
  }

  /** The total time budget of the whole request (all attempts): aborts everything when spent. */
  armTotalTimeout(ms: number): void {
    if (this.deadlineList || this.finished) return;
    this.deps.deadlines.listFor(ms).add(this);
  }

  /** The total time budget ran out (its deadline list calls this once). */
  expire(): void {
    this.abort.abort(new GatewayError('upstream_total_timeout'));
  }

  /** The answer started streaming (counted until finish). */
  streamOpened(): void {
    if (this.streaming || this.finished) return;
    this.streaming = true;
    this.streamGauge?.opened();
  }

  markFirstToken(): void {
    if (this.ttftMs === null) this.ttftMs = (this.deps.now ?? Date.now)() - this.startedAt;
  }

  setUsage(usage: Partial<Usage>): void {
    if (this.cache === 'hit') this.savedUsage = mergeUsage(this.savedUsage, usage);
    else this.usage = mergeUsage(this.usage, usage);
  }

  /** Records a change Switchboard made to the request, once per distinct sentence. */
  note = (text: string): void => {
    if (!this.notes.includes(text)) this.notes.push(text);
  };

  captureUpstream(body: string): void {
    if (this.captureBodies) this.upstreamBody = body;
  }

  captureResponse(body: string): void {
    if (this.captureBodies) this.responseBody = boundCapture(body);
  }

  private redactText(body: string | null): string | null {
    return body === null || !this.redactor ? body : this.redactor.text(body);
  }

  /** Registers how a draining stop ends this request (replaces the previous way). */
  track(entry: InFlight): void {
    if (this.finished) return;
    this.stopper = entry;
  }

  /**
   * Records the outcome, and sends the answer's last bytes only once its history row is durable:
   * an answer a client received in full is never lost to a kill -9 (history/journal.ts).
   */
  async finishThenSend(status: number, error: GatewayError | null, send: () => void): Promise<void> {
    this.finish(status, error);
    await this.deps.durable();
    send();
  }

  /** A whole 200 answer: recorded durably first, then sent with the request id. */
  sendAnswer(body: unknown, headers: Record<string, string> = {}): Promise<void> {
    // Headers first, so a captured row has them (http/reply-headers.ts); the body after the row is durable.
    this.reply.code(200).headers(headers).header('x-request-id', this.id);
    if (this.captureBodies) settleContentType(this.reply, body);
    return this.finishThenSend(200, null, () => this.reply.send(body));
  }

  /**
   * Tokens of the ended call for limits and budgets: what the provider reported; without a report
   * (an aborted stream) the estimated input once a provider took the call, nothing when none did
   * (or a cache hit answered).
   */
  private settle(admitted: Admitted): void {
    const usage = this.usage;
    // A cache hit replays a kept answer: nothing was billed, so it spends nothing.
    const tookIt = this.provider !== null && this.cache !== 'hit';
    this.deps.settle(admitted, {
      model: this.upstreamModel ?? this.requestedModel,
      inputTokens: usage?.inputTokens ?? (tookIt ? admitted.lease.estimatedTokens : 0),
      outputTokens: usage?.outputTokens ?? 0,
    });
  }

  /** True once the history row is written (finish ran). */
  get isFinished(): boolean {
    return this.finished;
  }

  /** Writes the history row once; later calls are ignored. A client that left is always 499. */
  finish(status: number, error?: GatewayError | null): void {
    if (this.finished) return;
    this.finished = true;
    if (error?.code === 'client_closed') status = error.status;
    this.deadlineList?.remove(this);
    this.deps.inflight.delete(this);
    if (this.admitted) this.settle(this.admitted);
    // Without a usage report (an aborted stream) the estimate stays in the provider's minute.
    if (this.paced && this.usage) this.deps.correctPacing?.(this.paced, (this.usage.inputTokens ?? 0) + (this.usage.outputTokens ?? 0));
    if (this.streaming) this.streamGauge?.closed();
    const now = (this.deps.now ?? Date.now)();
    // A hit's row carries the tokens it saved; `cache: 'hit'` says they were not billed.
    const tokens = this.usage ?? this.savedUsage;
    this.deps.record({
      id: this.id,
      startedAt: this.startedAt,
      durationMs: now - this.startedAt,
      ttftMs: this.ttftMs,
      dialect: this.dialect,
      endpoint: this.endpoint,
      client: this.client,
      requestedModel: this.requestedModel,
      provider: this.provider,
      upstreamModel: this.upstreamModel,
      attempts: this.attempts,
      status,
      errorCode: error?.code ?? null,
      stream: this.stream,
      inputTokens: tokens?.inputTokens ?? null,
      outputTokens: tokens?.outputTokens ?? null,
      cacheReadTokens: tokens?.cacheReadTokens ?? null,
      cacheWriteTokens: tokens?.cacheWriteTokens ?? null,
      cache: this.cache,
      estimated: this.estimated,
      errorMessage: error?.message ?? null,
      notes: this.notes,
      requestHeaders: this.redactor ? this.redactor.headers(this.request.headers) : null,
      clientAddress: this.request.ip,
      sessionId: this.sessionId,
      routeRule: this.routeRule,
      loop: this.loop,
      commands: this.commands,
      bodies: this.redactor ? this.capturedBodies(this.redactor) : null,
    });
  }

  private capturedBodies(redactor: CaptureRedactor): NonNullable<HistoryRecord['bodies']> {
    const leg = this.upstreamCapture?.leg();
    const headers = (values: Record<string, string | string[] | undefined> | null | undefined) => (values ? redactor.headers(values) : null);
    return {
      clientRequest: this.clientBody,
      upstreamRequest: this.redactText(this.upstreamBody),
      upstreamResponse: this.redactText(leg?.response ?? null),
      response: this.redactText(this.responseBody),
      upstream: leg?.url ? { url: leg.url, status: leg.status, requestHeaders: headers(leg.requestHeaders), responseHeaders: headers(leg.responseHeaders) } : null,
      responseHeaders: headers(replyHeaders(this.reply)),
    };
  }
}
