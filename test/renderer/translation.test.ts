import { describe, expect, it } from 'vitest';
import type { HistoryDetail } from '../../src-proxy/control/contract.ts';
import { compareLegs, legsOf, prettyBody } from '../../src-renderer/pages/history/translation.ts';

const detail = (over: Partial<HistoryDetail>): HistoryDetail => ({
  id: 'r1', startedAt: 1, durationMs: 1, ttftMs: null, dialect: 'anthropic', endpoint: '/v1/messages', client: 'c', requestedModel: 'm',
  provider: 'p', upstreamModel: 'up', attempts: [], status: 200, errorCode: null, stream: false, inputTokens: null, outputTokens: null, cache: null,
  cacheReadTokens: null, cacheWriteTokens: null, estimated: false, errorMessage: null, notes: [], requestHeaders: { 'x-api-key': '[redacted]' },
  bodies: null,
  ...over,
});

describe('translation view', () => {
  it('pretty-prints JSON and shows stream text as it came', () => {
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyBody('data: {"a":1}\n\n')).toBe('data: {"a":1}\n\n');
    expect(prettyBody(null)).toBeNull();
  });

  it('says same, names the few changed fields, or leaves a translation alone', () => {
    expect(compareLegs('{"model":"a","messages":[]}', '{"model":"a","messages":[]}')).toEqual({ kind: 'same' });
    expect(compareLegs('{"model":"a","messages":[]}', '{"messages":[],"model":"a"}')).toEqual({ kind: 'same' });
    expect(compareLegs('{"model":"a","messages":[],"stream":true,"max_tokens":5}', '{"model":"b","messages":[],"stream":true,"max_tokens":5}')).toEqual({ kind: 'changed', fields: ['model'] });
    expect(compareLegs('{"model":"a","system":"s","messages":[]}', '{"model":"b","messages":[{"role":"system"}]}')).toEqual({ kind: 'different' });
    expect(compareLegs('data: 1', 'data: 2')).toEqual({ kind: 'different' });
    expect(compareLegs(null, '{}')).toEqual({ kind: 'different' });
  });

  it('lays out the four legs in reading order, with the upstream headers and status', () => {
    expect(legsOf(detail({}))).toBeNull();
    const legs = legsOf(detail({
      bodies: {
        clientRequest: '{"model":"m","messages":[]}', upstreamRequest: '{"model":"up","messages":[]}', upstreamResponse: '{"x":1}', response: '{"x":1}',
        upstream: { url: 'https://up/v1', status: 201, requestHeaders: { authorization: '[redacted]' }, responseHeaders: { 'content-type': 'application/json' } },
      },
    }))!;
    expect(legs.map((leg) => leg.title)).toEqual(['Client sent', 'Sent upstream', 'Provider answered', 'Client got']);
    expect(legs[0]!.headers).toEqual({ 'x-api-key': '[redacted]' });
    expect(legs[1]).toMatchObject({ headers: { authorization: '[redacted]' }, comparison: { kind: 'changed', fields: ['model'] } });
    expect(legs[2]).toMatchObject({ status: 201, headers: { 'content-type': 'application/json' } });
    expect(legs[3]!.comparison).toEqual({ kind: 'same' });
  });
});
