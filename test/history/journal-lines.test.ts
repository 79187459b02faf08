import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../src-proxy/domain/history.ts';
import { decodeJournalLine, encodeJournalLine } from '../../src-proxy/history/journal.ts';

function record(overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    id: 'r1', startedAt: 1_700_000_000_000, durationMs: 12, ttftMs: 5, dialect: 'openai', endpoint: '/v1/chat/completions',
    client: 'cli', requestedModel: 'coder', provider: 'openai', upstreamModel: 'gpt-4o', attempts: [], status: 200, errorCode: null,
    stream: true, inputTokens: 10, outputTokens: 20, cache: null, cacheReadTokens: null, cacheWriteTokens: null, estimated: false,
    errorMessage: null, requestHeaders: null, bodies: null, notes: [], ...overrides,
  };
}

describe('history journal lines', () => {
  it('carry the guardrail fields (session, rule, loop, commands) and the client address through a replay', () => {
    const written = record({
      sessionId: 's-1', routeRule: '#1 thinking', commands: ['model(gpt-4o)'],
      loop: { kind: 'text', what: 'all work and no play', count: 6, action: 'blocked' }, clientAddress: '10.0.0.5',
    });
    const read = decodeJournalLine(encodeJournalLine(written, '[]').trimEnd());
    expect(read).toEqual(written);
  });

  it('read a line written before those fields existed, the fields absent', () => {
    const line = encodeJournalLine(record(), '[]').trimEnd();
    const values = JSON.parse(line) as unknown[];
    // Before the client address: the guardrail fields read, the address absent.
    const beforeAddress = decodeJournalLine(JSON.stringify(values.slice(0, values.length - 1)));
    expect(beforeAddress?.commands).toBeNull();
    expect(beforeAddress && 'clientAddress' in beforeAddress).toBe(false);
    const older = JSON.stringify(values.slice(0, values.length - 5));
    const read = decodeJournalLine(older);
    expect(read?.id).toBe('r1');
    expect(read?.bodies).toBeNull();
    expect(read && 'sessionId' in read).toBe(false);
    // Older still, before notes: no notes.
    expect(decodeJournalLine(JSON.stringify(values.slice(0, values.length - 6)))?.notes).toEqual([]);
  });

  it('refuse a line cut short inside the older fields', () => {
    const values = JSON.parse(encodeJournalLine(record(), '[]')) as unknown[];
    expect(decodeJournalLine(JSON.stringify(values.slice(0, values.length - 7)))).toBeNull();
  });
});
