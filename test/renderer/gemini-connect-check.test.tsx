// @vitest-environment node
// The Connect page's check for Gemini CLI and the Gen AI SDK, replayed against a real gateway:
// the calls those tools make at start-up succeed with a client token, and fail in Google's shape
// without one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src-renderer/pages/connect/run-checks';
import { TOOL_GUIDES } from '../../src-renderer/pages/connect/tools';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

let fake: FakeOpenAi;
let harness: Harness;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  harness = await startGateway({
    providers: [{ id: 'oai', kind: 'openai', baseUrl: fake.baseUrl, keys: ['sk-upstream'] }],
    aliases: [{ alias: 'gemini-2.5-pro', targets: [{ provider: 'oai', model: 'fake-large' }], exposed: true }],
  });
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});

describe.each(['gemini-cli', 'gemini-sdk'])('the Connect check of %s', (id) => {
  const guide = TOOL_GUIDES.find((tool) => tool.id === id)!;

  it('passes with a client token: the model is listed and its tokens are counted', async () => {
    const results = await runChecks(guide.checks, { origin: harness.origin, token: harness.token, model: 'gemini-2.5-pro' });
    expect(results.map((result) => [result.title, result.ok])).toEqual([
      ['GET /v1beta/models', true],
      ['POST /v1beta/models/gemini-2.5-pro:countTokens', true],
    ]);
    expect(results[0]!.summary).toContain('gemini-2.5-pro');
    expect(results[1]!.summary).toMatch(/^totalTokens: \d+$/);
  });

  it('fails without a token, saying why', async () => {
    const results = await runChecks(guide.checks, { origin: harness.origin, token: null, model: 'gemini-2.5-pro' });
    expect(results.map((result) => result.status)).toEqual([401, 401]);
    expect(results[0]!.summary).toMatch(/^401: .*token/i);
  });
});
