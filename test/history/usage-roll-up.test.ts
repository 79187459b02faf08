import { describe, expect, it } from 'vitest';
import { usageRollUp } from '../../src-proxy/store/history-repository.ts';
import { ENGINE_EVENT_DIALECT } from '../../src-proxy/domain/history.ts';
import { historyRecord } from '../store/helpers.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

/** The roll-up of a batch as the hourly table would hold it: one entry per key, in a fixed order. */
function sums(records: Parameters<typeof usageRollUp>[0]): string[] {
  return usageRollUp(records).map((s) => `${s.key.join('|')} requests=${s.requests} errors=${s.errors} in=${s.input} out=${s.output}`).sort();
}

describe('usage roll-up of a history batch', () => {
  it('sums each (hour, provider, upstream model, requested name, client) apart, whatever order the rows come in', () => {
    const a = { provider: 'openai', upstreamModel: 'gpt-4o', requestedModel: 'coder', client: 'ide' };
    const b = { provider: 'openrouter', upstreamModel: 'qwen', requestedModel: 'coder', client: 'ide' };
    const batch = [
      historyRecord({ ...a, startedAt: T0 + HOUR - 1, inputTokens: 1, outputTokens: 2 }),
      historyRecord({ ...b, startedAt: T0 + HOUR - 1, inputTokens: 10, outputTokens: 20 }),
      // The first millisecond of the next hour, then back to the hour before (rows finish out of order).
      historyRecord({ ...a, startedAt: T0 + HOUR, inputTokens: 100, outputTokens: 200 }),
      historyRecord({ ...a, startedAt: T0, inputTokens: 1000, outputTokens: 2000, status: 502, errorCode: 'upstream_error' }),
      historyRecord({ ...a, client: 'cli', startedAt: T0 + 5, inputTokens: 3, outputTokens: 4 }),
      historyRecord({ ...a, startedAt: T0 + 7, requestedModel: null, inputTokens: 5, outputTokens: 6 }),
      historyRecord({ ...b, startedAt: T0 + HOUR + 1, inputTokens: 30, outputTokens: 40 }),
      historyRecord({ ...a, startedAt: T0 - 1, inputTokens: 7, outputTokens: 8 }),
      historyRecord({ ...a, startedAt: T0 + 2 * HOUR + 1, inputTokens: 9, outputTokens: 1 }),
      historyRecord({ ...a, startedAt: T0 + HOUR + 2, inputTokens: 100, outputTokens: 200 }),
    ];
    expect(sums(batch)).toEqual([
      '2025-06-01T11|openai|gpt-4o|coder|ide requests=1 errors=0 in=7 out=8',
      '2025-06-01T12|openai|gpt-4o|coder|cli requests=1 errors=0 in=3 out=4',
      '2025-06-01T12|openai|gpt-4o|coder|ide requests=2 errors=1 in=1001 out=2002',
      '2025-06-01T12|openai|gpt-4o||ide requests=1 errors=0 in=5 out=6',
      '2025-06-01T12|openrouter|qwen|coder|ide requests=1 errors=0 in=10 out=20',
      '2025-06-01T13|openai|gpt-4o|coder|ide requests=2 errors=0 in=200 out=400',
      '2025-06-01T13|openrouter|qwen|coder|ide requests=1 errors=0 in=30 out=40',
      '2025-06-01T14|openai|gpt-4o|coder|ide requests=1 errors=0 in=9 out=1',
    ]);
  });

  it('counts token counts and cache hits as requests without usage, and leaves engine events out', () => {
    const batch = [
      historyRecord({ startedAt: T0, inputTokens: 10, outputTokens: 1 }),
      historyRecord({ startedAt: T0, endpoint: '/v1/messages/count_tokens', inputTokens: 500, outputTokens: null }),
      historyRecord({ startedAt: T0, cache: 'hit', inputTokens: 600, outputTokens: 60 }),
      historyRecord({ startedAt: T0, dialect: ENGINE_EVENT_DIALECT, inputTokens: 700 }),
      historyRecord({ startedAt: T0, provider: null, upstreamModel: null, inputTokens: null, outputTokens: null, status: 401, errorCode: 'invalid_client_token' }),
    ];
    expect(sums(batch)).toEqual([
      '2025-06-01T12|openrouter|openai/gpt-4o|coder|my-ide requests=3 errors=0 in=10 out=1',
      '2025-06-01T12|||coder|my-ide requests=1 errors=1 in=0 out=0',
    ]);
  });
});
