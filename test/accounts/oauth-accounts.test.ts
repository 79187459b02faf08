/**
 * OAuth2 accounts as provider keys, end to end: the official OpenAI SDK through Switchboard to a
 * fake upstream that only accepts access tokens a real (fake) token endpoint issued. Refresh
 * before expiry, rotation (kept across a restart), one refresh and retry on a 401, a refused
 * refresh resting the account while the pool moves on, single flight under concurrency, and
 * no account secret in listings, history or error bodies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import { errorAnswer, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startFakeOAuthServer, type FakeOAuthServer } from '../fixtures/fake-oauth-server.ts';
import { startGateway, type Harness, type HarnessKey } from '../fixtures/gateway-harness.ts';
import { streamedText } from '../fixtures/openai-stream-text.ts';

const CLIENT_ID = 'switchboard-test-client.apps.example';
const CLIENT_SECRET = 'cs-very-secret-client-value';
const REFRESH_TOKEN = 'rt-original-refresh-token-value';

describe('OAuth2 accounts as keys', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setup(extraKeys: HarnessKey[] = []) {
    const oauth = await startFakeOAuthServer({ refreshToken: REFRESH_TOKEN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const upstream = await startFakeOpenAi();
    guard(upstream, oauth);
    const account: HarnessKey = {
      oauth2: { tokenUrl: oauth.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, scopes: ['model.invoke', 'offline'] },
      label: 'work account',
    };
    const harness = await startGateway({
      providers: [{ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl, keys: [account, ...extraKeys] }],
      aliases: [{ alias: 'smart', targets: [{ provider: 'cloud', model: 'fake-large' }] }],
    });
    cleanups.push(() => upstream.close(), () => oauth.close(), () => harness.close());
    await harness.gateway.whenIdle();
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    return { oauth, upstream, harness, client };
  }

  /** The upstream answers 401 to any bearer the token server did not issue (static keys starting "sk-" pass). */
  function guard(upstream: FakeOpenAi, oauth: FakeOAuthServer) {
    upstream.route = (record) => {
      const auth = record.headers.authorization;
      if (auth?.startsWith('Bearer sk-') || oauth.accepts(auth)) return undefined;
      return errorAnswer(401, 'Request had invalid authentication credentials.');
    };
  }

  const chats = (upstream: FakeOpenAi) => upstream.requests.filter((r) => r.path === '/v1/chat/completions');
  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });

  async function lastRow(harness: Harness) {
    harness.gateway.flushHistory();
    return (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
  }

  it('gets an access token with the refresh token once and sends it as the bearer, streamed and not', async () => {
    const { oauth, upstream, client, harness } = await setup();
    const before = oauth.refreshes.length;
    const answer = await ask(client);
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    expect(await streamedText(client, 'smart')).toBe('Hello from fake');
    // Discovery at start may have taken the first token; no refresh after that (3600 s lifetime).
    expect(oauth.refreshes.length).toBeLessThanOrEqual(Math.max(before, 1));
    expect(oauth.refreshes[0]).toMatchObject({ grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: 'model.invoke offline' });
    expect(chats(upstream).map((r) => r.headers.authorization)).toEqual(['Bearer at-1', 'Bearer at-1']);
    const key = (await harness.gateway.control.listProviders())[0]!.keys[0]!;
    expect(key).toMatchObject({ type: 'oauth2', label: 'work account', proxy: null });
    expect(key.masked).toMatch(/^OAuth2 /);
    // The listing says until when the token holds (the dashboard's "token valid until"), never the token.
    expect(key.account).toEqual({ hasToken: true, tokenExpiresAt: expect.any(Number) });
    expect(key.account!.tokenExpiresAt!).toBeGreaterThan(Date.now() + 3_000_000);
    expect(JSON.stringify(key)).not.toContain('at-1');
  });

  it('refreshes a token that is about to expire before using it, and uses a rotated refresh token from then on', async () => {
    const { oauth, upstream, client } = await setup();
    const before = oauth.refreshes.length;
    oauth.rotate = true;
    // Inside the refresh margin: every use needs a new token, and each refresh rotates the refresh token.
    oauth.expiresIn = 30;
    oauth.revokeAccessTokens();
    for (let round = 0; round < 3; round++) expect((await ask(client)).choices[0]!.message.content).toBe('Hello from fake');
    expect(oauth.refreshes.length - before).toBeGreaterThanOrEqual(3);
    expect(oauth.refreshes[before]!.refresh_token).toBe(REFRESH_TOKEN);
    // Refresh n sent the token refresh n-1 handed out (the server issues rt-rotated-<n> with at-<n>).
    for (let index = before + 1; index < oauth.refreshes.length; index++) expect(oauth.refreshes[index]!.refresh_token).toBe(`rt-rotated-${index}`);
    expect(chats(upstream).slice(-1)[0]!.headers.authorization).toBe(`Bearer at-${oauth.refreshes.length}`);
  });

  it('keeps the rotated refresh token sealed in the store: a restarted gateway refreshes with it', async () => {
    const oauth = await startFakeOAuthServer({ refreshToken: REFRESH_TOKEN, clientId: CLIENT_ID });
    const upstream = await startFakeOpenAi();
    guard(upstream, oauth);
    oauth.rotate = true;
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-oauth-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }), () => upstream.close(), () => oauth.close());
    const logger = pino({ level: 'silent' });
    const first = await createGateway({ dataDir, port: 0, logger });
    await first.control.createProvider({ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl });
    await first.control.addKey({ providerId: 'cloud', oauth2: { tokenUrl: oauth.tokenUrl, clientId: CLIENT_ID, refreshToken: REFRESH_TOKEN } });
    const tested = await first.control.testProvider({ providerId: 'cloud' });
    expect(tested.ok).toBe(true);
    expect(oauth.currentRefreshToken).not.toBe(REFRESH_TOKEN);
    await first.close({ drainTimeoutMs: 200 });

    // The access token dies; the next run must refresh with the rotated refresh token it stored.
    oauth.revokeAccessTokens();
    const second = await createGateway({ dataDir, port: 0, logger });
    cleanups.push(() => second.close({ drainTimeoutMs: 200 }));
    const again = await second.control.testProvider({ providerId: 'cloud' });
    expect(again).toMatchObject({ ok: true });
    expect(oauth.refreshes.at(-1)!.refresh_token).toMatch(/^rt-rotated-/);
    expect(oauth.refreshes.some((form, index) => index > 0 && form.refresh_token === REFRESH_TOKEN)).toBe(false);
  });

  it('refreshes once and retries the same account when the upstream refuses its token (401)', async () => {
    const { oauth, upstream, client, harness } = await setup();
    await ask(client);
    const refreshesBefore = oauth.refreshes.length;
    oauth.revokeAccessTokens();
    const answer = await ask(client);
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    expect(oauth.refreshes.length).toBe(refreshesBefore + 1);
    expect(chats(upstream).slice(-2).map((r) => r.headers.authorization)).toEqual(['Bearer at-1', 'Bearer at-2']);
    const row = await lastRow(harness);
    expect(row.attempts.map((a) => [a.keyLabel, a.status, a.errorCode])).toEqual([
      ['work account', 401, 'upstream_auth_failed'],
      ['work account', 200, null],
    ]);
  });

  it('a refused refresh marks the account oauth_refresh_failed with the server reason, rests it, and the pool moves on', async () => {
    const { oauth, upstream, client, harness } = await setup(['sk-static-backup-key']);
    oauth.revokeAccessTokens();
    oauth.refuse = { status: 400, error: 'invalid_grant', description: 'Token has been expired or revoked.' };
    // Rotation starts at the account or the static key; two asks cover the account once.
    await ask(client);
    await ask(client);
    const key = (await harness.gateway.control.listProviders())[0]!.keys.find((k) => k.type === 'oauth2')!;
    expect(key.lastError).toContain('invalid_grant: Token has been expired or revoked.');
    expect(key.lastError).toMatch(/^oauth_refresh_failed: the token server /);
    expect(key.cooldownUntil).toBeGreaterThan(Date.now() + 60_000);
    const refreshesWhileResting = oauth.refreshes.length;
    await ask(client);
    await ask(client);
    // The resting account is not asked again; the static key serves.
    expect(oauth.refreshes.length).toBe(refreshesWhileResting);
    expect(chats(upstream).slice(-2).map((r) => r.headers.authorization)).toEqual(['Bearer sk-static-backup-key', 'Bearer sk-static-backup-key']);
  });

  it('with only the refused account, the client gets oauth_refresh_failed naming the reason, and no secret anywhere', async () => {
    const { oauth, client, harness } = await setup();
    oauth.revokeAccessTokens();
    oauth.refuse = { status: 400, error: 'invalid_grant', description: `Bad refresh token ${REFRESH_TOKEN}` };
    const error = await ask(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(502);
    expect(JSON.stringify(apiError.error)).toContain('oauth_refresh_failed');
    expect(apiError.message).toContain('invalid_grant');
    const row = await lastRow(harness);
    expect(row.attempts.at(-1)!.errorCode).toBe('oauth_refresh_failed');
    const everything = JSON.stringify([apiError.error, apiError.message, row, await harness.gateway.control.listProviders(), await harness.gateway.control.exportConfig()]);
    for (const secret of [REFRESH_TOKEN, CLIENT_SECRET, 'at-1']) expect(everything).not.toContain(secret);
  });

  it('concurrent requests share one refresh', async () => {
    const { oauth, upstream, client } = await setup();
    await ask(client);
    oauth.revokeAccessTokens();
    oauth.expiresIn = 30; // the next token is due at once
    await ask(client); // takes at-2 (after one 401 + refresh)
    oauth.expiresIn = 3600;
    oauth.delayMs = 300;
    const before = oauth.refreshes.length;
    const answers = await Promise.all(Array.from({ length: 6 }, () => ask(client)));
    expect(answers.every((a) => a.choices[0]!.message.content === 'Hello from fake')).toBe(true);
    expect(oauth.refreshes.length - before).toBe(1);
    const last6 = chats(upstream).slice(-6).map((r) => r.headers.authorization);
    expect(new Set(last6).size).toBe(1);
  });

  it('takes keys as objects from a config file: an account and a key with its own label and proxy; re-importing after a rotation adds nothing', async () => {
    const { oauth, harness, client } = await setup();
    oauth.rotate = true;
    oauth.revokeAccessTokens();
    await ask(client);
    const config = {
      providers: [
        {
          id: 'cloud',
          kind: 'openai',
          baseUrl: harness.baseUrl,
          keys: [
            { type: 'oauth2', tokenUrl: oauth.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, scopes: ['model.invoke', 'offline'] },
            { secret: 'sk-with-its-own-proxy', label: 'via corp', proxy: 'http://alice:proxy-pass-123@127.0.0.1:3128' },
          ],
        },
      ],
    };
    const first = await harness.gateway.control.importConfig({ config });
    expect(first.keys.added).toBe(1);
    const again = await harness.gateway.control.importConfig({ config });
    expect(again.keys.added).toBe(0);
    const keys = (await harness.gateway.control.listProviders())[0]!.keys;
    expect(keys.map((k) => [k.type, k.label, k.proxy])).toEqual([
      ['oauth2', 'work account', null],
      ['key', 'via corp', 'http://alice:•••@127.0.0.1:3128'],
    ]);
    const bad = await harness.gateway.control.importConfig({ config: { providers: [{ ...config.providers[0]!, keys: [{ secret: 'sk-x', proxy: 'ftp://nope:1' }] }] } }).catch((error: unknown) => error as Error);
    expect(String(bad)).toMatch(/not a proxy scheme/);
    expect(JSON.stringify(await harness.gateway.control.exportConfig())).not.toContain('proxy-pass-123');
  });
});
