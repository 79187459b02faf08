/**
 * An OAuth2 account edited in place through replaceKey (the dashboard's Edit): the listing shows
 * its fields with every secret masked, masks sent back keep the stored secrets (proved by the
 * fake token endpoint, which refuses anything but the real ones), a label or proxy edit keeps the
 * access token Switchboard holds, an edit of what issued it drops it, and a refused edit changes
 * nothing. The official OpenAI SDK is the client; the upstream accepts only issued tokens.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { errorAnswer, startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startFakeOAuthServer } from '../fixtures/fake-oauth-server.ts';
import { startHttpConnectProxy } from '../fixtures/fake-proxies.ts';
import { startGateway } from '../fixtures/gateway-harness.ts';
import type { KeyInfo } from '../../src-proxy/control/contract.ts';

const CLIENT_ID = 'edit-test-client.apps.example';
const CLIENT_SECRET = 'cs-edit-test-secret-value';
const REFRESH_TOKEN = 'rt-edit-test-refresh-token';
const NEW_REFRESH_TOKEN = 'rt-edit-test-second-refresh-token';

describe('editing an OAuth2 account in place', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setup() {
    const oauth = await startFakeOAuthServer({ refreshToken: REFRESH_TOKEN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const upstream = await startFakeOpenAi();
    upstream.route = (record) => (oauth.accepts(record.headers.authorization) ? undefined : errorAnswer(401, 'Request had invalid authentication credentials.'));
    const harness = await startGateway({
      providers: [{ id: 'cloud', kind: 'openai', baseUrl: upstream.baseUrl, keys: [{ oauth2: { tokenUrl: oauth.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, scopes: ['model.invoke'] }, label: 'work account' }] }],
      aliases: [{ alias: 'smart', targets: [{ provider: 'cloud', model: 'fake-large' }] }],
    });
    cleanups.push(() => upstream.close(), () => oauth.close(), () => harness.close());
    await harness.gateway.whenIdle();
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const ask = async () => (await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] })).choices[0]!.message.content;
    const account = async (): Promise<KeyInfo> => (await harness.gateway.control.listProviders())[0]!.keys[0]!;
    const bearers = () => upstream.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.headers.authorization);
    expect(await ask()).toBe('Hello from fake');
    return { oauth, harness, ask, account, bearers, control: harness.gateway.control };
  }

  it('lists the fields with secrets masked; masks sent back with a new label keep the secrets and the access token', async () => {
    const { oauth, ask, account, bearers, control } = await setup();
    const before = await account();
    expect(before.oauth2).toEqual({ tokenUrl: oauth.tokenUrl, clientId: 'edi…mple', clientSecret: 'cs-…alue', refreshToken: 'rt-…oken', scopes: ['model.invoke'] });
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, CLIENT_ID, 'at-1']) expect(JSON.stringify(before)).not.toContain(secret);
    const refreshes = oauth.refreshes.length;

    const saved = await control.replaceKey({ keyId: before.id, label: 'team account', oauth2: { ...before.oauth2!, clientSecret: before.oauth2!.clientSecret! } });
    expect(saved.label).toBe('team account');
    const after = await account();
    expect(after.oauth2).toEqual(before.oauth2);
    expect(after.account).toEqual(before.account);
    expect(await ask()).toBe('Hello from fake');
    // The token held before the edit still serves: no refresh, the same bearer.
    expect(oauth.refreshes.length).toBe(refreshes);
    expect(bearers().slice(-2)).toEqual(['Bearer at-1', 'Bearer at-1']);
  });

  it('a proxy-only edit keeps the access token; the calls go through the new proxy', async () => {
    const { oauth, ask, account, bearers, control } = await setup();
    const proxy = await startHttpConnectProxy({ user: 'alice', password: 'proxy-pass-edit' });
    cleanups.push(() => proxy.close());
    const before = await account();
    const refreshes = oauth.refreshes.length;
    await control.replaceKey({ keyId: before.id, proxy: proxy.url });
    const after = await account();
    expect(after.proxy).toMatch(/^http:\/\/alice:•••@127\.0\.0\.1:\d+$/);
    expect(after.account).toEqual(before.account);
    expect(await ask()).toBe('Hello from fake');
    expect(oauth.refreshes.length).toBe(refreshes);
    expect(bearers().at(-1)).toBe('Bearer at-1');
    expect(proxy.tunnels.some((tunnel) => tunnel.accepted)).toBe(true);
  });

  it('new scopes drop the access token: the next call refreshes with the stored secrets and the new scopes', async () => {
    const { oauth, ask, account, bearers, control } = await setup();
    const before = await account();
    const refreshes = oauth.refreshes.length;
    await control.replaceKey({ keyId: before.id, oauth2: { ...before.oauth2!, clientSecret: before.oauth2!.clientSecret!, scopes: ['model.invoke', 'offline'] } });
    expect((await account()).account).toEqual({ hasToken: false, tokenExpiresAt: null });
    expect(await ask()).toBe('Hello from fake');
    expect(oauth.refreshes.slice(refreshes)).toEqual([
      expect.objectContaining({ refresh_token: REFRESH_TOKEN, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: 'model.invoke offline' }),
    ]);
    expect(bearers().at(-1)).toBe('Bearer at-2');
    expect((await account()).oauth2!.scopes).toEqual(['model.invoke', 'offline']);
  });

  it('a new refresh token replaces the stored one (and is masked afterwards); removing the client secret sends none', async () => {
    const { oauth, ask, account, control } = await setup();
    const before = await account();
    oauth.currentRefreshToken = NEW_REFRESH_TOKEN;
    await control.replaceKey({ keyId: before.id, oauth2: { ...before.oauth2!, clientSecret: before.oauth2!.clientSecret!, refreshToken: NEW_REFRESH_TOKEN } });
    expect(await ask()).toBe('Hello from fake');
    expect(oauth.refreshes.at(-1)).toMatchObject({ refresh_token: NEW_REFRESH_TOKEN, client_secret: CLIENT_SECRET });
    const after = await account();
    expect(after.oauth2!.refreshToken).toBe('rt-…oken');
    expect(JSON.stringify(after)).not.toContain(NEW_REFRESH_TOKEN);

    const { clientSecret: _dropped, ...withoutSecret } = after.oauth2!;
    await control.replaceKey({ keyId: before.id, oauth2: withoutSecret });
    expect((await account()).oauth2!.clientSecret).toBeNull();
    // The fake token endpoint refuses a refresh without the client secret: the account now asks without it.
    await expect(ask()).rejects.toMatchObject({ status: 502 });
    expect(oauth.refreshes.at(-1)).not.toHaveProperty('client_secret');
  });

  it('refuses a half-edited mask at its field and leaves the account (and its token) as it was', async () => {
    const { oauth, ask, account, bearers, control } = await setup();
    const before = await account();
    const refused = await control
      .replaceKey({ keyId: before.id, label: 'renamed', oauth2: { ...before.oauth2!, clientSecret: 'cs-…alueX', scopes: ['other'] } })
      .catch((error: unknown) => error as { code: string; message: string; issues?: Array<{ path: string; message: string }> });
    expect(refused).toMatchObject({ code: 'invalid_request', issues: [{ path: 'oauth2.clientSecret', message: expect.stringMatching(/Type the whole client secret again/) }] });
    expect(await account()).toEqual(before);
    const refreshes = oauth.refreshes.length;
    expect(await ask()).toBe('Hello from fake');
    expect(oauth.refreshes.length).toBe(refreshes);
    expect(bearers().at(-1)).toBe('Bearer at-1');
  });
});
