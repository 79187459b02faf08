/**
 * The cache's part of the route step. For a request whose alias opts in (`cache.ttlSeconds`), it
 * reads `x-switchboard-cache`, computes the key, and either finds a kept answer (the request
 * replays it, no upstream call) or passes the fresh answer's events through and keeps the answer
 * once it completed. Errors and partial answers (an error event, a stream that stopped early,
 * a client that left) are never kept.
 *
 * A route without a cached alias pays one property read: open() returns null before anything
 * else happens.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ChatAccumulator } from '../canonical/accumulator.ts';
import type { ChatRequest, StreamEvent } from '../canonical/types.ts';
import type { AliasCache } from '../domain/alias.ts';
import type { AliasTarget } from '../domain/alias.ts';
import type { CacheStatus } from '../domain/response-cache.ts';
import { GatewayError } from '../errors/codes.ts';
import { pollOf, type BufferedEvents } from '../canonical/buffered-events.ts';
import { cacheKeyOf } from './cache-key.ts';
import type { CachedAnswer, ResponseCacheStore } from './types.ts';

export const CACHE_HEADER = 'x-switchboard-cache';

export interface CacheSession {
  readonly status: CacheStatus;
  /** What the answer's `x-switchboard-cache` header says: a refresh went upstream, so it reads "miss". */
  readonly header: 'hit' | 'miss' | 'bypass';
  /** The kept answer to replay (status 'hit'). */
  readonly hit: CachedAnswer | null;
  /** A fresh answer is to be kept (miss, refresh): the request takes the canonical path. */
  readonly fills: boolean;
  /** Passes a fresh answer's events through unchanged; keeps the answer when it completed. */
  fill(events: AsyncIterable<StreamEvent>, answeredBy: () => { provider: string | null; model: string | null }): AsyncIterable<StreamEvent>;
  /**
   * Keeps an answer that already went out: the same-dialect fast path forwarded the provider's
   * bytes, and `read` turns them into events after the fact. The same checks as fill; an answer
   * that does not read back is not kept (reported like a failed write).
   */
  keep(read: () => AsyncIterable<StreamEvent> | Iterable<StreamEvent>, answeredBy: () => { provider: string | null; model: string | null }): Promise<void>;
}

export interface ChatCacheStep {
  /** How the cache takes part in one request to these targets; null when the alias does not cache. */
  open(input: { headers: IncomingHttpHeaders; cache: AliasCache | null | undefined; targets: readonly AliasTarget[]; request: () => ChatRequest }): Promise<CacheSession | null>;
}

/** The client's choice for one request; absent = use the cache. Anything else is refused (400). */
export function requestedCacheMode(headers: IncomingHttpHeaders): 'default' | 'bypass' | 'refresh' {
  const raw = headers[CACHE_HEADER];
  if (raw === undefined) return 'default';
  const value = (Array.isArray(raw) ? raw.join(',') : raw).trim().toLowerCase();
  if (value === 'bypass' || value === 'refresh') return value;
  throw new GatewayError('invalid_request', `The ${CACHE_HEADER} header takes "bypass" (neither read nor write the cache) or "refresh" (ask upstream and replace the kept answer), not "${value.slice(0, 40)}"`, { param: CACHE_HEADER });
}

const BYPASS: CacheSession = {
  status: 'bypass',
  header: 'bypass',
  hit: null,
  fills: false,
  fill: (events) => events,
  keep: async () => undefined,
};

export function createChatCacheStep(deps: { store: ResponseCacheStore; now?: () => number; onError?: (error: unknown) => void }): ChatCacheStep {
  const now = deps.now ?? Date.now;

  /** Stores an answer that ran to its end, unless it failed or nobody is known to have given it. */
  function finish(key: string, ttlMs: number, kept: KeptAnswer, answeredBy: () => { provider: string | null; model: string | null }, wentOut: boolean): void {
    const { provider, model } = answeredBy();
    if (!kept.finished || kept.failed || kept.accumulator.finishReason === 'error' || provider === null || model === null) return;
    const createdAt = now();
    const answer = kept.accumulator.result({ id: '', model });
    const store = () => {
      try {
        deps.store.set(key, { answer, provider, model, createdAt, expiresAt: createdAt + ttlMs });
      } catch (error) {
        report(error);
      }
    };
    // Kept after the answer's last byte went out: serializing it is not the client's wait.
    if (wentOut) store();
    else setImmediate(store);
  }

  function report(error: unknown): void {
    if (deps.onError) deps.onError(error);
    else throw error;
  }

  return {
    async open({ headers, cache, targets, request }) {
      if (!cache) return null;
      const mode = requestedCacheMode(headers);
      if (mode === 'bypass') return BYPASS;
      const key = cacheKeyOf(targets, request());
      const ttlMs = cache.ttlSeconds * 1000;
      const hit = mode === 'refresh' ? null : await deps.store.get(key);
      if (hit) return { status: 'hit', header: 'hit', hit, fills: false, fill: (events) => events, keep: BYPASS.keep };
      return {
        status: mode === 'refresh' ? 'refresh' : 'miss',
        header: 'miss',
        hit: null,
        fills: true,
        fill: (events, answeredBy) => new FillingEvents(events, (answer) => finish(key, ttlMs, answer, answeredBy, false)),
        async keep(read, answeredBy) {
          try {
            const events = read();
            // An answer read back whole (a JSON body's events) is kept without a promise per event.
            if (Array.isArray(events)) {
              const answer = new KeptAnswer();
              for (const event of events as StreamEvent[]) answer.add(event);
              finish(key, ttlMs, answer, answeredBy, true);
              return;
            }
            const answer = new KeptAnswer();
            for await (const event of events) answer.add(event);
            finish(key, ttlMs, answer, answeredBy, true);
          } catch (error) {
            report(error);
          }
        },
      };
    },
  };
}

/** An answer's events collected as they pass: complete (a finish event), failed (an error event) or neither. */
class KeptAnswer {
  readonly accumulator = new ChatAccumulator();
  finished = false;
  failed = false;

  add(event: StreamEvent): void {
    if (event.type === 'finish') this.finished = true;
    if (event.type === 'error') this.failed = true;
    else if (!this.failed) this.accumulator.add(event);
  }
}

const DONE: IteratorResult<StreamEvent> = { value: undefined, done: true };

/**
 * A fresh answer's events passed through unchanged while they are collected; `complete` gets the
 * collection once the stream ran to its end (a consumer that stops early, or a stream that
 * throws, never gets there). A plain iterator that hands on what the upstream reader already holds
 * (BufferedEvents), not an async generator: a generator layer cost a resume and promise hops per
 * event and hid the batch from the renderer, so every event of a translated miss took its own
 * promise down the whole chain (README, Performance).
 */
class FillingEvents implements AsyncIterableIterator<StreamEvent>, BufferedEvents {
  private readonly answer = new KeptAnswer();
  private iterator: AsyncIterator<StreamEvent> | null = null;
  private pollInner: (() => StreamEvent | undefined) | null = null;
  private ended = false;

  constructor(
    private readonly events: AsyncIterable<StreamEvent>,
    private readonly complete: (answer: KeptAnswer) => void,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    if (this.ended) return Promise.resolve(DONE);
    return this.inner().next().then((result) => {
      if (result.done) {
        if (!this.ended) {
          this.ended = true;
          this.complete(this.answer);
        }
        return result;
      }
      this.answer.add(result.value);
      return result;
    });
  }

  poll(): StreamEvent | undefined {
    if (this.ended) return undefined;
    this.inner();
    const event = this.pollInner?.();
    if (event !== undefined) this.answer.add(event);
    return event;
  }

  /** The consumer stopped early: nothing is kept, the upstream is let go. */
  async return(): Promise<IteratorResult<StreamEvent>> {
    if (this.ended) return DONE;
    this.ended = true;
    await this.iterator?.return?.();
    return DONE;
  }

  private inner(): AsyncIterator<StreamEvent> {
    if (!this.iterator) {
      this.iterator = this.events[Symbol.asyncIterator]();
      this.pollInner = pollOf(this.iterator);
    }
    return this.iterator;
  }
}
