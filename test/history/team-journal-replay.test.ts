/**
 * A killed team instance's journal replayed into PostgreSQL: the leftover stays in the journal
 * until the server has committed it, so a second crash during the replay loses nothing. The
 * history table is held locked by another session to keep the replay's inserts waiting.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openHistoryJournal, encodeJournalLine } from '../../src-proxy/history/journal.ts';
import { createHistoryRecorder } from '../../src-proxy/history/recorder.ts';
import { openPostgresStore } from '../../src-proxy/store/postgres/pg-store.ts';
import { createTeamKeyCipher } from '../../src-proxy/store/secret-cipher.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';
import { historyRecord } from '../store/helpers.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('journal replay into the team store', () => {
  it('keeps the leftover in the journal until PostgreSQL has committed it', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const store: Store = await openPostgresStore({ url, cipher: createTeamKeyCipher(randomBytes(32)) });
    cleanups.push(() => store.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-replay-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    // What a killed instance left: two acknowledged rows in its journal.
    const rows = [historyRecord({ id: 'left-1', requestedModel: 'coder' }), historyRecord({ id: 'left-2', requestedModel: 'coder' })];
    const dead = openHistoryJournal(dataDir);
    dead.append(rows.map((row) => encodeJournalLine(row, JSON.stringify(row.attempts))).join(''));
    dead.close();
    const journalText = () => readFileSync(join(dataDir, 'history.journal'), 'utf8');
    expect(journalText()).toContain('left-2');

    // Another session holds the history table: the replay's inserts wait for it.
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    cleanups.push(() => blocker.end());
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE history IN EXCLUSIVE MODE');

    const journal = openHistoryJournal(dataDir);
    const recorder = createHistoryRecorder({ history: store.history, journal, onError: (error) => { throw error; } });
    cleanups.push(() => recorder.close());
    expect(recorder.replayed).toBe(2);
    // A new request's row meanwhile: its flush must not empty the journal under the waiting replay.
    recorder.record(historyRecord({ id: 'new-1' }));
    await recorder.durable();
    recorder.flush();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(journalText()).toContain('left-1');
    expect(journalText()).toContain('left-2');

    await blocker.query('COMMIT');
    await recorder.settled();
    await store.sync?.();
    expect(journalText()).toBe('');
    const kept = await store.history.query({ limit: 10 });
    expect(kept.rows.map((row) => row.id).sort()).toEqual(['left-1', 'left-2', 'new-1']);
  });
});
