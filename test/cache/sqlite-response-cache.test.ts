import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../src-proxy/canonical/types.ts';
import { createSqliteResponseCache } from '../../src-proxy/cache/sqlite-response-cache.ts';
import type { CachedAnswer } from '../../src-proxy/cache/types.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { tempStore } from '../store/helpers.ts';

function answer(text: string, at = 1_000): CachedAnswer {
  const response: ChatResponse = { id: 'x', model: 'gpt-4o', content: [{ type: 'text', text }], finishReason: 'stop', usage: { inputTokens: 5, outputTokens: 3 } };
  return { answer: response, provider: 'openai', model: 'gpt-4o', createdAt: at, expiresAt: at + 60_000 };
}

describe('the response cache on SQLite', () => {
  it('keeps answers across a restart and forgets them when they expire', async () => {
    let now = 1_000;
    const { store, dataDir } = tempStore();
    const errors: unknown[] = [];
    const cache = createSqliteResponseCache({ repository: store.responseCache, maxBytes: () => 1_000_000, now: () => now, onError: (error) => errors.push(error) });
    cache.set('k1', answer('first'));
    // Readable before the write-behind batch reached the database.
    expect((await cache.get('k1'))?.answer.content).toEqual([{ type: 'text', text: 'first' }]);
    cache.close();
    store.close();

    const reopened = openStore({ dataDir });
    const again = createSqliteResponseCache({ repository: reopened.responseCache, maxBytes: () => 1_000_000, now: () => now, onError: (error) => errors.push(error) });
    expect(await again.get('k1')).toMatchObject({ provider: 'openai', model: 'gpt-4o', createdAt: 1_000, expiresAt: 61_000 });
    expect(await again.get('missing')).toBeNull();
    now = 61_000;
    expect(await again.get('k1')).toBeNull();
    again.flush();
    expect(reopened.responseCache.read('k1')).toBeNull();
    expect(errors).toEqual([]);
    again.close();
    reopened.close();
  });

  it('evicts the least recently used answers when the entries outgrow the size bound', async () => {
    const { store } = tempStore();
    let maxBytes = 10_000;
    const cache = createSqliteResponseCache({ repository: store.responseCache, maxBytes: () => maxBytes, now: () => 2_000, onError: (error) => { throw error; } });
    const big = 'x'.repeat(2_000);
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, answer(`${key}${big}`));
    expect((await cache.stats()).entries).toBe(4);
    await cache.get('a'); // a is now the most recently used
    cache.set('e', answer(`e${big}`));
    const stats = await cache.stats();
    expect(stats.bytes).toBeLessThanOrEqual(10_000);
    expect(await cache.get('b')).toBeNull();
    expect(await cache.get('a')).not.toBeNull();
    expect(await cache.get('e')).not.toBeNull();
    cache.flush();
    expect(store.responseCache.read('b')).toBeNull();
    expect(store.responseCache.index().map((row) => row.key).sort()).toEqual(['a', 'c', 'd', 'e']);

    // A smaller bound applies at the next write; an answer bigger than the whole cache is not kept.
    maxBytes = 5_000;
    cache.set('f', answer(`f${big}`));
    expect((await cache.stats()).entries).toBe(2);
    cache.set('huge', answer('y'.repeat(6_000)));
    expect(await cache.get('huge')).toBeNull();
    expect((await cache.stats()).bytes).toBeLessThanOrEqual(5_000);
    cache.close();
  });

  it('clears everything, and forgets an entry another process deleted', async () => {
    const { store } = tempStore();
    const cache = createSqliteResponseCache({ repository: store.responseCache, maxBytes: () => 1_000_000, now: () => 2_000, onError: (error) => { throw error; } });
    cache.set('a', answer('a'));
    cache.set('b', answer('b'));
    cache.flush();
    store.responseCache.clear(); // as `switchboard cache clear` does while the app runs
    expect(await cache.get('a')).toBeNull();
    expect((await cache.stats()).entries).toBe(1);
    expect(await cache.clear()).toBe(0);
    expect(await cache.stats()).toEqual({ entries: 0, bytes: 0, maxBytes: 1_000_000 });
    cache.close();
  });
});
