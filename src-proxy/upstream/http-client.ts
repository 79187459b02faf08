/**
 * Upstream HTTP: undici's request API over long-lived keep-alive agents (never the global
 * `fetch`, which costs ~5× the CPU per request), four separate time budgets, no redirects.
 *
 * Budgets: connect (agent option), first byte (headers + first body chunk), idle between body
 * chunks (undici bodyTimeout) and total (a timer that aborts the request).
 */
import type { Dispatcher } from 'undici';
import type { UpstreamProtocol } from '../domain/history.ts';
import { Agent } from './undici-lean.ts';
import { DispatchedAnswer } from './dispatch-answer.ts';
import { createProxyDispatchers, proxyError, trustingContext, type ProxyDispatchers } from './proxy-dispatchers.ts';
import { http2AgentOptions } from './http2-pools.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../errors/codes.ts';
import { mapTransportError } from './errors.ts';
import { createFairScheduler, type FairScheduler, type Slot } from './fair-scheduler.ts';
import { pacingTimeout, pacingWaitMs, type PacedCall, type Pacer } from './pacing.ts';
import type { CallSignal } from './call-signal.ts';

export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  /** 0 = the caller enforces the total budget itself (through `signal`). */
  totalMs: number;
}

export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Aborted when the client goes away or the proxy stops. */
  signal: CallSignal;
  timeouts: UpstreamTimeouts;
  /** Whose request this is, for the fair queue per host (fair-scheduler.ts); default Switchboard's own. */
  client?: string;
  /** The provider's pacing limits (absent: none, the call only queues for a connection). */
  pace?: PacedCall;
  /** The outbound proxy this call goes through (http://, https:// or socks5://); absent: direct. */
  proxy?: string;
  /** The provider allows HTTP/2 (providers[].http2): an https call offers h2 by ALPN (http2-pools.ts). Absent: HTTP/1.1. */
  http2?: boolean;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Body chunks; errors arrive as GatewayError (idle / total timeout, disconnect). */
  body: AsyncIterable<Buffer>;
  /** Reads the whole body as text, up to `limit` bytes. */
  text(limit?: number): Promise<string>;
  /** Stops reading and releases the connection. */
  dispose(): void;
  /** The HTTP version the answer came in; absent for an answer not read from a connection. */
  readonly protocol?: UpstreamProtocol;
}

export interface UpstreamHttp {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  /** Closes the pooled connections of proxies no longer configured. */
  retainProxies(proxyUrls: ReadonlySet<string>): void;
  close(): Promise<void>;
}

/** Requests Switchboard makes for itself (discovery, key checks) queue as this client. */
export const SWITCHBOARD_CLIENT = 'switchboard';
export const DEFAULT_CONNECTIONS_PER_HOST = 128;

export interface UpstreamHttpOptions {
  connectionsPerHost?: () => number;
  /** Counts paced calls (policy/provider-pacing.ts); without it `pace` is ignored. */
  pacer?: Pacer;
  /** Longest wait of a paced call in the queue (settings.pacingMaxWaitMs). */
  pacingMaxWaitMs?: () => number;
  /** Extra CA certificates (PEM) for https:// outbound proxies (settings.proxyCa). */
  proxyCa?: () => string | null;
  /** Extra CA certificates (PEM) trusted for providers' own TLS, added to Node's roots (a private or test CA). */
  upstreamCa?: string;
}

export function createUpstreamHttp(options: UpstreamHttpOptions = {}): UpstreamHttp {
  const connectionsPerHost = options.connectionsPerHost ?? (() => DEFAULT_CONNECTIONS_PER_HOST);
  const { pacer } = options;
  const pacingMaxWaitMs = options.pacingMaxWaitMs ?? (() => 30_000);
  const pacing = pacer
    ? {
        gate: (request: { pace?: PacedCall }) => (request.pace ? pacingWaitMs(pacer, request.pace, Date.now()) : 0),
        started: (request: { pace?: PacedCall }) => pacer.start(request.pace!, Date.now()),
        released: (request: { pace?: PacedCall }) => pacer.end(request.pace!),
      }
    : {};
  const agents = new Map<string, { connections: number; agent: Agent }>();
  // One shared context for a private CA (a `ca` option would build one per connection).
  const upstreamTls = options.upstreamCa ? { secureContext: trustingContext(options.upstreamCa) } : {};
  const schedulers = new Map<string, FairScheduler>();
  // Created on the first proxied call: with no proxy configured nothing of it exists.
  let proxies: ProxyDispatchers | null = null;

  /**
   * The one place a call's dispatcher is chosen: the direct agent, or the (proxy, origin)
   * dispatcher when the call names an outbound proxy.
   */
  function dispatcherFor(req: UpstreamRequest, http2: boolean): Dispatcher {
    if (!req.proxy) return agentFor(req.timeouts.connectMs, http2);
    proxies ??= createProxyDispatchers({ ...(options.proxyCa ? { proxyCa: options.proxyCa } : {}), ...(options.upstreamCa ? { upstreamCa: options.upstreamCa } : {}) });
    return proxies.dispatcher(req.proxy, originOf(req.url), req.timeouts.connectMs, connectionsPerHost(), http2);
  }

  function agentFor(connectMs: number, http2: boolean): Agent {
    const connections = connectionsPerHost();
    const id = http2 ? `h2:${connectMs}` : `${connectMs}`;
    const entry = agents.get(id);
    if (entry?.connections === connections) return entry.agent;
    // A changed connection count gets a new agent; the old one finishes what it carries.
    if (entry) void entry.agent.close().catch(() => undefined);
    // keepAliveTimeout stays below common server idle timeouts so a reused socket does not
    // race the server's close; undici also honours the server's Keep-Alive hint. As many
    // connections as the fair queue lets calls run, so undici never queues behind it.
    const agent = new Agent({ connect: { timeout: connectMs, ...upstreamTls }, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000, connections, ...(http2 ? http2AgentOptions() : {}) });
    agents.set(id, { connections, agent });
    return agent;
  }

  /** The fair queue of one origin (`originOf` of the call's URL). */
  function schedulerFor(origin: string): FairScheduler {
    let scheduler = schedulers.get(origin);
    if (!scheduler) {
      scheduler = createFairScheduler({ capacity: connectionsPerHost, ...pacing });
      schedulers.set(origin, scheduler);
    }
    return scheduler;
  }

  async function send(req: UpstreamRequest): Promise<UpstreamResponse> {
    const budget = req.timeouts.totalMs > 0 ? withTotalBudget(req.signal, req.timeouts.totalMs) : null;
    const signal = budget ? budget.signal : req.signal;
    const origin = originOf(req.url);
    let slot: Slot;
    try {
      const client = req.client ?? SWITCHBOARD_CLIENT;
      if (req.pace && pacer) slot = await acquirePaced(schedulerFor(origin), client, signal, req.pace, pacer);
      else {
        // A free connection is taken without a promise; only a call that queues waits for one.
        const scheduler = schedulerFor(origin);
        slot = (signal.aborted ? null : scheduler.tryAcquire(client)) ?? (await scheduler.acquire(client, signal));
      }
    } catch (error) {
      budget?.release();
      throw mapTransportError(error, signal, 'connect');
    }
    const release = () => {
      budget?.release();
      slot.release();
    };
    // Only https: undici's h2 without TLS (h2c) is a separate client an unknown server may not speak.
    const http2 = req.http2 === true && req.url.startsWith('https:');
    try {
      const answer = new DispatchedAnswer(signal);
      // dispatch with a handler of our own, not request(): no stream or async resource per answer.
      dispatcherFor(req, http2).dispatch(dispatchOptions(req, origin, http2), answer);
      const res = await answer.response;
      // However the body ends — read, abandoned, destroyed, timed out — its slot comes back.
      answer.onClose = release;
      if (answer.closed) release();
      return new SentAnswer(res.status, res.headers, new UpstreamBody(answer, new BodyErrors(signal), release), answer, release);
    } catch (error) {
      release();
      throw (req.proxy && !signal.aborted ? proxyError(error, req.proxy) : null) ?? mapTransportError(error, signal, 'connect');
    }
  }

  /**
   * A paced call waits in the host's fair queue until its provider has room, at most the pacing
   * wait: one that could not start within it fails at once, one still waiting at its end fails then.
   */
  async function acquirePaced(scheduler: FairScheduler, client: string, signal: CallSignal, pace: PacedCall, paced: Pacer): Promise<Slot> {
    // The common case, the provider inside its limits: a slot at once, no timer armed.
    const ready = signal.aborted ? null : scheduler.tryAcquire(client, pace.provider, pace);
    if (ready) return ready;
    const maxWaitMs = pacingMaxWaitMs();
    const windowWait = paced.windowWaitMs(pace, Date.now());
    if (windowWait > maxWaitMs) throw pacingTimeout(pace, windowWait, maxWaitMs);
    const bounded = new AbortController();
    const onAbort = () => bounded.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => bounded.abort(pacingTimeout(pace, pacingWaitMs(paced, pace, Date.now()), maxWaitMs)), maxWaitMs);
    timer.unref();
    paced.waiting(pace, 1);
    try {
      return await scheduler.acquire(client, bounded.signal, pace.provider, pace);
    } finally {
      paced.waiting(pace, -1);
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  return {
    send,
    retainProxies(proxyUrls) {
      proxies?.retain(proxyUrls);
    },
    async close() {
      await Promise.all([...agents.values()].map((entry) => entry.agent.close()));
      agents.clear();
      await proxies?.close();
    },
  };
}

/** undici's dispatch options for one call (`origin`: originOf(req.url)). */
function dispatchOptions(req: UpstreamRequest, origin: string, http2: boolean): Dispatcher.DispatchOptions {
  const target = targetOf(req.url, origin);
  return {
    origin: target.origin,
    path: target.path,
    method: req.method,
    headers: req.headers,
    body: req.body ?? null,
    // Lets POSTs share an HTTP/2 connection (http2-pools.ts); undefined keeps undici's default.
    idempotent: http2 || undefined,
    headersTimeout: req.timeouts.firstByteMs,
    bodyTimeout: req.timeouts.idleMs,
  };
}

/** Maps a body's transport errors (idle timeout, disconnect) to gateway errors of the call's signal. */
class BodyErrors {
  constructor(private readonly signal: CallSignal) {}

  map(error: unknown): unknown {
    return mapTransportError(error, this.signal, 'body');
  }
}

/** Errors of a body read outside a call (readFirstChunk on any iterable) pass as they are. */
const AS_THEY_ARE = { map: (error: unknown): unknown => error };
const noop = (): void => undefined;

/** A call's answer once its headers arrived: methods on the prototype, not closures per call. */
class SentAnswer implements UpstreamResponse {
  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    readonly body: UpstreamBody,
    private readonly answer: DispatchedAnswer,
    private readonly release: () => void,
  ) {}

  text(limit = 1024 * 1024): Promise<string> {
    return readText(this.body, limit);
  }

  /** HTTP/1.1 unless an HTTP/2-capable client carried the call (read when the head arrives). */
  get protocol(): UpstreamProtocol {
    return this.answer.connection?.protocol ?? 'http/1.1';
  }

  dispose(): void {
    // A body that ended, or whose rest is being drained for keep-alive, needs no destroying.
    if (this.body.draining || this.answer.closed) return;
    this.release();
    this.answer.destroy();
  }
}

/**
 * The HTTP client of one attempt at a provider: its outbound proxy and whether it allows HTTP/2
 * (providers[].http2). Every call the provider makes with it (through openUpstream or its own
 * send) takes them, without the provider knowing; an attempt with neither uses the shared client
 * itself (nothing added per call).
 */
export function forAttempt(http: UpstreamHttp, attempt: { proxy?: string | undefined; http2?: boolean }): UpstreamHttp {
  const { proxy } = attempt;
  const http2 = attempt.http2 === true;
  if (!proxy && !http2) return http;
  return {
    send: (request) => {
      // The copy gets its fields by assignment, not `{ ...request, ...(… ? { proxy } : {}) }`: a spread that adds keys costs a hidden class per call (wire/with-fields.ts).
      const sent = Object.assign({}, request);
      if (proxy && !request.proxy) sent.proxy = proxy;
      if (http2 && request.http2 === undefined) sent.http2 = http2;
      return http.send(sent);
    },
    retainProxies: (urls) => http.retainProxies(urls),
    close: () => http.close(),
  };
}

/**
 * Origin and path of a call's URL, as undici's dispatch takes them. A plain URL (printable ASCII,
 * no dot segment: nothing to normalise) is split without parsing and its origin normalised (case,
 * default port), once per URL text: a provider calls the same few URLs (its adapter makes each
 * once). Anything else goes through the URL parser, as request(url) did.
 */
const targets = new Map<string, { origin: string; path: string }>();
const PLAIN_PATH = /^(?:\/[!$%&-;=?-Z_a-z~]*)?$/;

function targetOf(url: string, raw: string): { origin: string; path: string } {
  const known = targets.get(url);
  if (known !== undefined) return known;
  const path = url.slice(raw.length);
  if (PLAIN_PATH.test(path) && !path.includes('/.')) {
    const target = { origin: new URL(raw).origin, path: path === '' ? '/' : path };
    if (targets.size < 1000) targets.set(url, target);
    return target;
  }
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/** `https://host:port` of a URL, without parsing it (the hot path). */
function originOf(url: string): string {
  const end = url.indexOf('/', url.indexOf('//') + 2);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * A signal aborted by the caller's signal or by the total budget. Request handlers arm the total
 * budget once per client request instead (Exchange), so the hot path creates no extra controller.
 */
function withTotalBudget(outer: CallSignal, totalMs: number): { signal: CallSignal; release: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new GatewayError('upstream_total_timeout')), totalMs);
  timer.unref();
  const onAbort = () => controller.abort(outer.reason);
  if (outer.aborted) onAbort();
  else outer.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    },
  };
}

/** An upstream body that can hand over a chunk it already holds without a promise (UpstreamBody, DispatchedAnswer). */
export interface ChunkPoll {
  poll(): Buffer | undefined;
}

/**
 * The upstream body as one async iterator: transport errors mapped to gateway errors, the time
 * budget released at the end, and a chunk that was read ahead (the first one) put back in front.
 * A plain iterator object rather than async generators: one promise hop per chunk on the hot path.
 */
export class UpstreamBody implements AsyncIterable<Buffer>, AsyncIterator<Buffer> {
  private iterator: AsyncIterator<Buffer> | null = null;
  private pending: Buffer | null = null;
  private drainStarted = false;

  constructor(
    private readonly source: AsyncIterable<Buffer>,
    private readonly errors: { map(error: unknown): unknown },
    private readonly release: () => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  /** Puts a chunk back so the next read returns it first. */
  unshift(chunk: Buffer): void {
    this.pending = chunk;
  }

  next(): Promise<IteratorResult<Buffer>> {
    if (this.pending) {
      const value = this.pending;
      this.pending = null;
      return Promise.resolve({ value, done: false });
    }
    this.iterator ??= this.source[Symbol.asyncIterator]();
    return this.iterator.next().then(
      (result) => {
        if (result.done) this.release();
        return result;
      },
      (error: unknown) => {
        this.release();
        throw this.errors.map(error);
      },
    );
  }

  /** A chunk already in hand (put back, or received by the source), without a promise; else undefined. */
  poll(): Buffer | undefined {
    if (this.pending) {
      const value = this.pending;
      this.pending = null;
      return value;
    }
    return ((this.iterator ??= this.source[Symbol.asyncIterator]()) as Partial<ChunkPoll>).poll?.();
  }

  /**
   * The whole body when all of it already arrived (a small answer comes with its headers, in the
   * same read): taken without a promise, the call released. Null, and nothing taken: read it.
   */
  takeWhole(): Buffer[] | null {
    const source = (this.iterator ??= this.source[Symbol.asyncIterator]()) as Partial<ChunkPoll & { complete: boolean }>;
    if (source.complete !== true || !source.poll) return null;
    const parts: Buffer[] = [];
    if (this.pending) parts.push(this.pending);
    this.pending = null;
    for (let chunk = source.poll(); chunk !== undefined; chunk = source.poll()) parts.push(chunk);
    this.release();
    return parts;
  }

  /** True while the rest of an answer is read and discarded after the consumer stopped. */
  get draining(): boolean {
    return this.drainStarted;
  }

  /**
   * The consumer stopped early — usually at the protocol's terminal event ([DONE], message_stop),
   * with only the response terminator left. Destroying the body there would close the keep-alive
   * socket (and allocate an abort error) on every streamed request, so the remainder is read and
   * discarded instead, up to a small cap; past it the body is destroyed.
   */
  async return(): Promise<IteratorResult<Buffer>> {
    const iterator = this.iterator;
    if (!iterator || this.drainStarted) {
      this.release();
      return { value: undefined, done: true };
    }
    this.drainStarted = true;
    let bytes = 0;
    const deadline = Date.now() + DRAIN_MAX_MS;
    const step = (): Promise<void> =>
      iterator.next().then(
        (result) => {
          if (result.done) return this.release();
          bytes += result.value.length;
          if (bytes > DRAIN_MAX_BYTES || Date.now() > deadline) {
            this.release();
            void iterator.return?.();
            return;
          }
          return step();
        },
        () => this.release(),
      );
    void step();
    return { value: undefined, done: true };
  }
}

const DRAIN_MAX_BYTES = 256 * 1024;
const DRAIN_MAX_MS = 2_000;

/**
 * The body when its first chunk is already here (a small answer arrives with its headers, in the
 * same read): put back in front, no promise. Null: wait for it with readFirstChunk.
 */
export function firstChunkInHand(body: AsyncIterable<Buffer>): AsyncIterable<Buffer> | null {
  if (!(body instanceof UpstreamBody)) return null;
  const first = body.poll();
  if (first === undefined) return null;
  body.unshift(first);
  return body;
}

/** A body's bytes when the whole of it is already here (UpstreamBody.takeWhole), else null: read it. */
export function wholeBodyInHand(body: AsyncIterable<Buffer>): Buffer | null {
  const parts = body instanceof UpstreamBody ? body.takeWhole() : null;
  if (parts === null) return null;
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * Waits for the first body chunk (undici's idle budget covers the wait after the headers). Until
 * it arrives nothing reached the client, so the router may still try another key or target.
 */
export async function readFirstChunk(body: AsyncIterable<Buffer>): Promise<AsyncIterable<Buffer>> {
  const reader = body instanceof UpstreamBody ? body : new UpstreamBody(body, AS_THEY_ARE, noop);
  const first = await reader.next();
  if (!first.done) reader.unshift(first.value);
  return reader;
}

/** A body's text, at most its first `limit` bytes (whole chunks; the rest is left unread). */
export async function readText(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) break;
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}
