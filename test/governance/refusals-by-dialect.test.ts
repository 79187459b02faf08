/**
 * Every governance refusal, in every front door, streaming or not, through the official SDKs:
 * status, code (in the body of every dialect), Retry-After, a history row with the code and no
 * upstream attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientGovernancePatch } from '../../src-proxy/domain/governance.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { DIALECTS, dialectClient, refusalOf, type DialectName } from './dialect-clients.ts';

interface Row {
  name: string;
  governance: ClientGovernancePatch;
  /** Calls that succeed before the refused one. */
  allowed: number;
  model?: string;
  status: number;
  code: string;
  retryAfter: (value: string | null) => void;
}

const secondsToMidnight = () => (new Date(new Date().setHours(24, 0, 0, 0)).getTime() - Date.now()) / 1000;

const secondsToNextMonth = () => {
  const now = new Date();
  return (new Date(now.getFullYear(), now.getMonth() + 1, 1).getTime() - now.getTime()) / 1000;
};

const ROWS: Row[] = [
  // The first call runs in an empty minute whatever its estimate; its 18 real tokens leave no room.
  { name: 'tpm exceeded', governance: { limits: { tpm: 20 } }, allowed: 1, status: 429, code: 'rate_limited', retryAfter: (v) => expect(Number(v)).toBeGreaterThanOrEqual(55) },
  { name: 'monthly budget spent', governance: { limits: { monthlyBudgetUsd: 5 } }, allowed: 1, status: 429, code: 'budget_exceeded', retryAfter: (v) => expect(Math.abs(Number(v) - secondsToNextMonth())).toBeLessThan(5) },
  { name: 'rpm exceeded', governance: { limits: { rpm: 1 } }, allowed: 1, status: 429, code: 'rate_limited', retryAfter: (v) => expect(Number(v)).toBeGreaterThanOrEqual(55) },
  { name: 'daily budget spent', governance: { limits: { dailyBudgetUsd: 5 } }, allowed: 1, status: 429, code: 'budget_exceeded', retryAfter: (v) => expect(Math.abs(Number(v) - secondsToMidnight())).toBeLessThan(5) },
  { name: 'lifetime cap reached', governance: { limits: { maxRequests: 1 } }, allowed: 1, status: 429, code: 'request_cap_reached', retryAfter: (v) => expect(v).toBeNull() },
  { name: 'token expired', governance: { expiresAt: Date.now() - 1000 }, allowed: 0, status: 401, code: 'client_token_expired', retryAfter: (v) => expect(v).toBeNull() },
  { name: 'client disabled', governance: { enabled: false }, allowed: 0, status: 403, code: 'client_disabled', retryAfter: (v) => expect(v).toBeNull() },
  { name: 'model not allowed', governance: { models: ['coder', 'claude-*'] }, allowed: 0, model: 'other', status: 403, code: 'model_not_allowed', retryAfter: (v) => expect(v).toBeNull() },
];

describe('governance refusals in every dialect', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let clientCount = 0;

  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] }],
      aliases: [
        { alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }] },
        { alias: 'other', targets: [{ provider: 'fake', model: 'fake-large' }] },
      ],
    });
    // A dollar per token: one answer (11 + 7 tokens) spends $18, over a $5 daily budget.
    await harness.gateway.control.setPrice({ model: 'fake-large', inputPerMillion: 1_000_000, outputPerMillion: 1_000_000 });
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });

  const cases = DIALECTS.flatMap((dialect) => ROWS.flatMap((row) => [false, true].map((stream) => ({ dialect, row, stream }))));
  it.each(cases)('$dialect, stream $stream: $row.name → $row.status $row.code', async ({ dialect, row, stream }: { dialect: DialectName; row: Row; stream: boolean }) => {
    const name = `client-${++clientCount}`;
    const { token } = await harness.gateway.control.createClientToken({ name, ...row.governance });
    const client = dialectClient(dialect, harness.origin, token);
    for (let i = 0; i < row.allowed; i++) expect(await client.call('coder', stream)).toBe('Hello from fake');
    const upstreamCalls = upstream.requests.length;

    const refused = await refusalOf(client, row.model ?? 'coder', stream);
    expect(refused.status).toBe(row.status);
    expect(refused.code).toBe(row.code);
    expect(refused.message).toMatch(/Clients page/);
    if (row.code === 'model_not_allowed') expect(refused.message).toContain('coder, claude-*');
    row.retryAfter(refused.retryAfter);
    expect(upstream.requests.length).toBe(upstreamCalls);

    harness.gateway.flushHistory();
    const history = await harness.gateway.control.queryHistory({ client: name, limit: 10 });
    expect(history.rows[0]).toMatchObject({ client: name, status: row.status, errorCode: row.code, attempts: [], requestedModel: row.model ?? 'coder' });
  });
});
