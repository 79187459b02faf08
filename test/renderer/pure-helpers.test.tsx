import { describe, expect, it } from 'vitest';
import { moveItem } from '../../src-renderer/lib/move-item';
import { EMPTY_FILTERS, toHistoryQuery } from '../../src-renderer/pages/history/filters';
import { keyLabel, niceCeiling, OTHER_KEY, periodSeries, totalsByKey, utcPeriods } from '../../src-renderer/pages/usage/aggregate';
import { presetGroups, presetsOf, suggestProviderId } from '../../src-renderer/pages/providers/presets';
import { createProviderCatalog } from '../../src-proxy/providers/registry.ts';
import { formatUsd } from '../../src-renderer/lib/format';

const PROVIDER_PRESETS = presetsOf(createProviderCatalog().describe());

describe('moveItem', () => {
  it.each([
    [0, 1, ['b', 'a', 'c']],
    [2, 0, ['c', 'a', 'b']],
    [1, 9, ['a', 'c', 'b']],
    [5, 0, ['a', 'b', 'c']],
  ])('moves %i to %i', (from, to, expected) => {
    expect(moveItem(['a', 'b', 'c'], from, to)).toEqual(expected);
  });
});

describe('history filters', () => {
  it('leaves out empty fields and anchors the time range', () => {
    expect(toHistoryQuery(EMPTY_FILTERS, 1_000_000)).toEqual({ limit: 200 });
    expect(toHistoryQuery({ ...EMPTY_FILTERS, status: 'error', model: ' gpt ', range: '1h' }, 10_000_000)).toEqual({ limit: 200, status: 'error', model: 'gpt', from: 10_000_000 - 3_600_000 });
  });
});

describe('usage aggregation', () => {
  const bucket = (period: string, key: string, requests: number) => ({ period, key, requests, errors: 0, inputTokens: requests * 10, outputTokens: requests, costUsd: requests / 100 });
  it('lists every UTC day, or hour, of the range with the store\'s keys', () => {
    expect(utcPeriods(Date.UTC(2025, 0, 30, 12), Date.UTC(2025, 1, 2, 1), 'day')).toEqual(['2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02']);
    expect(utcPeriods(Date.UTC(2025, 0, 31, 22, 30), Date.UTC(2025, 1, 1, 1, 5), 'hour')).toEqual(['2025-01-31T22', '2025-01-31T23', '2025-02-01T00', '2025-02-01T01']);
  });
  it('stacks the top keys and folds the rest into "other"', () => {
    const buckets = [bucket('2025-01-01', 'a', 5), bucket('2025-01-01', 'b', 3), bucket('2025-01-02', 'c', 1), bucket('2025-01-02', 'a', 2)];
    const series = periodSeries(buckets, ['2025-01-01', '2025-01-02'], 'requests', 1);
    expect(series.series.map((s) => s.key)).toEqual(['a', OTHER_KEY]);
    expect(series.series[0]!.values).toEqual([5, 2]);
    expect(series.series[1]!.values).toEqual([3, 1]);
    expect(series.max).toBe(8);
    expect(totalsByKey(buckets, 'tokens')[0]).toMatchObject({ key: 'a', requests: 7, inputTokens: 70 });
  });
  it('never files failures under "(none)": an empty key says what happened in this view', () => {
    expect(keyLabel('provider', '')).toBe('refused before routing');
    expect(keyLabel('upstream', '')).toBe('refused before routing');
    expect(keyLabel('requested', '')).toMatch(/no model named/);
    expect(keyLabel('provider', 'other')).toBe('other');
    expect(keyLabel('provider', OTHER_KEY)).toBe('other');
  });
  it('rounds axis tops to 1-2-5 steps', () => {
    expect([0, 3, 7, 12, 480].map(niceCeiling)).toEqual([1, 5, 10, 20, 500]);
  });
});

describe('provider presets', () => {
  it('fill in the documented base URLs', () => {
    const byName = Object.fromEntries(PROVIDER_PRESETS.map((p) => [p.name, p]));
    expect(byName['OpenRouter']!.baseUrl).toBe('https://openrouter.ai/api/v1');
    expect(byName['Ollama (local)']).toMatchObject({ kind: { kind: 'ollama', keyOptional: true }, baseUrl: 'http://127.0.0.1:11434' });
    expect(byName['Azure OpenAI']!.baseUrl).toBe('https://{resource}.openai.azure.com');
    expect(byName['AWS Bedrock']).toMatchObject({ kind: { kind: 'bedrock' }, options: { region: 'us-east-1' } });
    expect(byName['Google Vertex AI']).toMatchObject({ kind: { kind: 'vertex', keyForm: { type: 'json-file' } }, options: { region: 'us-central1' } });
    expect(PROVIDER_PRESETS).toHaveLength(18);
  });
  it('are grouped for the picker and found by name, id or URL', () => {
    expect(presetGroups(PROVIDER_PRESETS, '').map((section) => [section.title, section.presets.length])).toEqual([
      ['Model APIs', 11],
      ['Cloud platforms', 3],
      ['On this machine', 3],
      ['Anything else', 1],
    ]);
    expect(presetGroups(PROVIDER_PRESETS, 'GROQ').flatMap((section) => section.presets.map((p) => p.name))).toEqual(['Groq']);
    expect(presetGroups(PROVIDER_PRESETS, '127.0.0.1').map((section) => section.title)).toEqual(['On this machine']);
    expect(presetGroups(PROVIDER_PRESETS, 'no such service')).toEqual([]);
  });
  it('suggest a free id', () => {
    expect(suggestProviderId('openai', ['openai', 'openai-2'])).toBe('openai-3');
  });
});

describe('formatUsd', () => {
  it('shows cents from ten cents up and up to four decimals below, without padding zeros', () => {
    expect([4.62, 0.31, 0.1, 0].map(formatUsd)).toEqual(['$4.62', '$0.31', '$0.10', '$0.00']);
    expect([0.0035, 0.0123, 0.05, 0.001].map(formatUsd)).toEqual(['$0.0035', '$0.0123', '$0.05', '$0.001']);
    expect([0.00004, null, undefined].map(formatUsd)).toEqual(['<$0.0001', '–', '–']);
  });
});
