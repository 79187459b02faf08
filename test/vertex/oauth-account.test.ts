/**
 * A Vertex provider whose key is an OAuth account instead of a service-account JSON key: the
 * official SDKs through Switchboard to a fake Vertex that accepts only bearer tokens the fake OAuth
 * token endpoint issued. A 401 refreshes once and retries; a refused refresh is
 * oauth_refresh_failed and the account rests while the pool's service-account key serves.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOAuthServer, type FakeOAuthServer } from '../fixtures/fake-oauth-server.ts';
import { claudeAnswer, geminiAnswer, startFakeVertex, type FakeVertex } from '../fixtures/fake-vertex-upstream.ts';
import { startGateway, type Harness, type HarnessKey } from '../fixtures/gateway-harness.ts';

const CLIENT_ID = 'vertex-oauth-client.apps.example';
const CLIENT_SECRET = 'cs-vertex-client-secret';
const REFRESH_TOKEN = 'rt-vertex-refresh-token';

describe('Vertex with an OAuth account as its key', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setup(options: { withServiceAccount?: boolean } = {}): Promise<{ oauth: FakeOAuthServer; fake: FakeVertex; harness: Harness }> {
    const oauth = await startFakeOAuthServer({ refreshToken: REFRESH_TOKEN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const fake = await startFakeVertex({ alsoAccepts: (authorization) => oauth.accepts(authorization) });
    const account: HarnessKey = {
      oauth2: { tokenUrl: oauth.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, scopes: ['https://www.googleapis.com/auth/cloud-platform'] },
      label: 'google account',
    };
    const keys: HarnessKey[] = options.withServiceAccount ? [account, { secret: fake.account().json, label: 'service account' }] : [account];
    const harness = await startGateway({
      providers: [{ id: 'vx', kind: 'vertex', baseUrl: fake.origin, options: { project: 'oauth-proj', region: 'us-east5' }, keys }],
      aliases: [
        { alias: 'gemini-2.5-flash', targets: [{ provider: 'vx', model: 'gemini-2.5-flash' }] },
        { alias: 'sonnet', targets: [{ provider: 'vx', model: 'claude-sonnet-4-5@20250929' }] },
      ],
    });
    cleanups.push(() => fake.close(), () => oauth.close(), () => harness.close());
    await harness.gateway.whenIdle();
    return { oauth, fake, harness };
  }

  const chatCalls = (fake: FakeVertex) => fake.calls.filter((call) => call.model !== undefined);

  it('@google/genai streams and answers through the account token; the fake Vertex saw the bearer the token endpoint issued', async () => {
    const { oauth, fake, harness } = await setup();
    const ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin } });
    const answer = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' });
    expect(answer.text).toBe('Hello from Gemini on Vertex');
    let text = '';
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' })) text += chunk.text ?? '';
    expect(text).toBe('Hello from Gemini on Vertex');
    const calls = chatCalls(fake);
    expect(calls).toHaveLength(2);
    expect(calls.every((call) => call.project === 'oauth-proj' && call.region === 'us-east5' && call.token === 'at-1')).toBe(true);
    // One refresh served everything (no service-account exchange happened), with the account's grant.
    expect(oauth.refreshes).toHaveLength(1);
    expect(oauth.refreshes[0]).toMatchObject({ grant_type: 'refresh_token', client_id: CLIENT_ID, scope: 'https://www.googleapis.com/auth/cloud-platform' });
    expect(fake.exchanges).toEqual([]);
  });

  it('a 401 refreshes once and the same request is retried with the new token (Anthropic SDK, Claude on Vertex)', async () => {
    const { oauth, fake, harness } = await setup();
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    await client.messages.create({ model: 'sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    const before = oauth.refreshes.length;
    oauth.revokeAccessTokens();
    fake.enqueue(claudeAnswer([{ type: 'text', text: 'Fresh token' }]));
    const message = await client.messages.stream({ model: 'sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'Hi again' }] }).finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Fresh token' });
    expect(oauth.refreshes.length).toBe(before + 1);
    const tokens = chatCalls(fake).slice(-2).map((call) => call.token);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(oauth.accepts(`Bearer ${tokens[1]}`)).toBe(true);
  });

  it('a refused refresh → oauth_refresh_failed, the account rests and the service-account key serves', async () => {
    const { oauth, fake, harness } = await setup({ withServiceAccount: true });
    oauth.revokeAccessTokens();
    oauth.refuse = { status: 400, error: 'invalid_grant', description: 'Token has been expired or revoked.' };
    const ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin } });
    // Rotation starts at either key; two asks reach the account once, and both are answered.
    for (let i = 0; i < 2; i++) {
      fake.enqueue(geminiAnswer([{ text: 'from the service account' }]));
      expect((await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' })).text).toBe('from the service account');
    }
    const key = (await harness.gateway.control.listProviders())[0]!.keys.find((k) => k.type === 'oauth2')!;
    expect(key.lastError).toContain('invalid_grant');
    expect(key.cooldownUntil).toBeGreaterThan(Date.now() + 60_000);
    harness.gateway.flushHistory();
    const rows = (await harness.gateway.control.queryHistory({ limit: 5 })).rows;
    expect(rows.flatMap((row) => row.attempts.map((attempt) => attempt.errorCode))).toContain('oauth_refresh_failed');
    const refreshesWhileResting = oauth.refreshes.length;
    fake.enqueue(geminiAnswer([{ text: 'still served' }]));
    expect((await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' })).text).toBe('still served');
    expect(oauth.refreshes.length).toBe(refreshesWhileResting);
    expect(JSON.stringify([rows, await harness.gateway.control.listProviders()])).not.toContain(REFRESH_TOKEN);
  });

  it('with only the refused account the Gemini client gets oauth_refresh_failed', async () => {
    const { oauth, harness } = await setup();
    oauth.revokeAccessTokens();
    oauth.refuse = { status: 400, error: 'invalid_grant', description: 'Token has been expired or revoked.' };
    const ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin } });
    const error = (await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' }).catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain('oauth_refresh_failed');
    expect(error.message).not.toContain(CLIENT_SECRET);
  });
});
