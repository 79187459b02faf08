import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConversation } from '../../src-proxy/dialects/responses/conversation.ts';
import { startResponseRetention } from '../../src-proxy/dialects/responses/retention.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { DEFAULT_SETTINGS } from '../../src-proxy/control/contract.ts';

const DAY = 86_400_000;
const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const answer = (id: string, text: string) => ({ id, object: 'response', status: 'completed', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }] });

describe('kept responses', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-kept-'));
    store = openStore({ dataDir: dir });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuild a chain oldest first, and name the first link that is no longer kept', async () => {
    await store.responses.save({ owner: 'token:a', id: 'resp_1', previousResponseId: null, createdAt: 1, input: [user('one')], response: answer('resp_1', 'uno') });
    await store.responses.save({ owner: 'token:a', id: 'resp_2', previousResponseId: 'resp_1', createdAt: 2, input: [user('two')], response: answer('resp_2', 'dos') });
    const conversation = await loadConversation(store.responses, 'resp_2', 'token:a');
    expect('items' in conversation && conversation.items.map((item) => JSON.stringify(item).match(/"text":"(\w+)"/)![1])).toEqual(['one', 'uno', 'two', 'dos']);
    await store.responses.delete('resp_1', 'token:a');
    expect(await loadConversation(store.responses, 'resp_2', 'token:a')).toEqual({ missing: 'resp_1' });
    expect(await loadConversation(store.responses, 'resp_x', 'token:a')).toEqual({ missing: 'resp_x' });
  });

  it('are pruned with the history retention setting', async () => {
    const now = 100 * DAY;
    await store.responses.save({ owner: 'token:a', id: 'resp_old', previousResponseId: null, createdAt: now - 40 * DAY, input: [], response: answer('resp_old', 'a') });
    await store.responses.save({ owner: 'token:a', id: 'resp_new', previousResponseId: null, createdAt: now - DAY, input: [], response: answer('resp_new', 'b') });
    const stop = startResponseRetention({ store, settings: () => ({ ...DEFAULT_SETTINGS, historyRetentionDays: 30 }) }, 60_000, () => now);
    stop();
    expect(await store.responses.get('resp_old', 'token:a')).toBeNull();
    expect((await store.responses.get('resp_new', 'token:a'))?.response.id).toBe('resp_new');
  });

  it('are written behind in batches, yet read back at once, and written on close', async () => {
    // Not awaited: a save queues its row; the read that follows writes the queue first.
    const first = store.responses.save({ owner: 'token:a', id: 'resp_q1', previousResponseId: null, createdAt: 1, input: [user('one')], response: answer('resp_q1', 'uno') });
    const second = store.responses.save({ owner: 'token:a', id: 'resp_q2', previousResponseId: 'resp_q1', createdAt: 2, input: [user('two')], response: answer('resp_q2', 'dos') });
    expect(await store.responses.isKept('resp_q2')).toBe(true);
    expect((await store.responses.get('resp_q1', 'token:a'))?.input).toEqual([user('one')]);
    await Promise.all([first, second]);
    // Another client's save of a kept id changes nothing, queued or not.
    void store.responses.save({ owner: 'token:b', id: 'resp_q1', previousResponseId: null, createdAt: 3, input: [user('mine')], response: answer('resp_q1', 'mio') });
    expect(await store.responses.get('resp_q1', 'token:b')).toBeNull();
    expect((await store.responses.get('resp_q1', 'token:a'))?.response).toEqual(answer('resp_q1', 'uno'));
    // A save still queued when the store closes is in the file for the next start.
    const queued = store.responses.save({ owner: 'token:a', id: 'resp_q3', previousResponseId: null, createdAt: 4, input: [], response: answer('resp_q3', 'tres') });
    store.close();
    await queued;
    store = openStore({ dataDir: dir });
    expect((await store.responses.get('resp_q3', 'token:a'))?.response.id).toBe('resp_q3');
  });
});
