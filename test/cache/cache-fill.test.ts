/**
 * A translated cache miss passes its answer's events through while it keeps them: events the
 * upstream reader already holds are handed on with poll() (canonical/buffered-events.ts), as
 * without a cache, so the renderer takes a chunk's events as one batch instead of one promise per
 * event; the answer is kept once the stream ran to its end, never when the consumer stopped early
 * or the answer failed. Real SQLite behind the cache.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pollOf } from '../../src-proxy/canonical/buffered-events.ts';
import type { StreamEvent } from '../../src-proxy/canonical/types.ts';
import { createChatCacheStep, type CacheSession } from '../../src-proxy/cache/cache-step.ts';
import { createSqliteResponseCache } from '../../src-proxy/cache/sqlite-response-cache.ts';
import type { ResponseCacheStore } from '../../src-proxy/cache/types.ts';
import type { SqliteStore } from '../../src-proxy/store/types.ts';
import { inHand } from '../fixtures/in-hand.ts';
import { tempStore } from '../store/helpers.ts';

const ANSWER: StreamEvent[] = [
  { type: 'start', id: 'chatcmpl-1', model: 'm' },
  { type: 'text_delta', text: 'Kept ' },
  { type: 'text_delta', text: 'whole' },
  { type: 'usage', usage: { inputTokens: 4, outputTokens: 2 } },
  { type: 'finish', reason: 'stop' },
];

/** Upstream events as the reader hands them over: all in hand (poll), next() counted; records a let-go. */
const upstream = (events: StreamEvent[]) => inHand(events);

describe('a translated cache miss', () => {
  let store: SqliteStore;
  let cache: ResponseCacheStore;

  afterEach(() => {
    cache.close();
    store.close();
  });

  async function miss(): Promise<CacheSession> {
    ({ store } = tempStore());
    cache = createSqliteResponseCache({ repository: store.responseCache, maxBytes: () => 1_000_000, onError: (error) => { throw error; } });
    const step = createChatCacheStep({ store: cache });
    const session = await step.open({ headers: {}, cache: { ttlSeconds: 60 }, targets: [{ provider: 'p', model: 'm' }], request: () => ({ model: 'a', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true, extra: {} }) });
    expect(session?.status).toBe('miss');
    return session!;
  }
  const answeredBy = () => ({ provider: 'p', model: 'm' });
  const keptEntries = async () => {
    // The one entry the miss may have kept.
    cache.flush();
    const { entries } = await cache.stats();
    return entries;
  };

  it('hands on the events the upstream reader holds without a promise each, then keeps the answer', async () => {
    const session = await miss();
    const { iterable, state } = upstream(ANSWER);
    const filled = session.fill(iterable, answeredBy)[Symbol.asyncIterator]();
    const poll = pollOf(filled);
    expect(poll).not.toBeNull();
    const seen: StreamEvent[] = [];
    for (let event = poll!(); event !== undefined; event = poll!()) seen.push(event);
    expect(seen).toEqual(ANSWER);
    expect(state.awaited).toBe(0);
    // Not kept before the stream ended.
    expect(await keptEntries()).toBe(0);
    expect((await filled.next()).done).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await keptEntries()).toBe(1);
  });

  it('keeps an answer read with next() alone, the same events in the same order', async () => {
    const session = await miss();
    const seen: StreamEvent[] = [];
    for await (const event of session.fill(upstream(ANSWER).iterable, answeredBy)) seen.push(event);
    expect(seen).toEqual(ANSWER);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await keptEntries()).toBe(1);
  });

  it('keeps nothing when the consumer stops early, and lets the upstream go', async () => {
    const session = await miss();
    const { iterable, state } = upstream(ANSWER);
    for await (const event of session.fill(iterable, answeredBy)) if (event.type === 'text_delta') break;
    expect(state.released).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await keptEntries()).toBe(0);
  });

  it('keeps nothing when the answer failed in band', async () => {
    const session = await miss();
    const failed: StreamEvent[] = [ANSWER[0]!, ANSWER[1]!, { type: 'error', error: { code: 'upstream_error', message: 'overloaded', status: 529 } }, { type: 'finish', reason: 'error' }];
    const filled = session.fill(upstream(failed).iterable, answeredBy)[Symbol.asyncIterator]();
    const poll = pollOf(filled)!;
    while (poll() !== undefined);
    expect((await filled.next()).done).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await keptEntries()).toBe(0);
  });
});
