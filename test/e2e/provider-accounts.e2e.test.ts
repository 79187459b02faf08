/**
 * A provider's outbound proxies and OAuth accounts set up in a real browser against the real
 * engine, then used by the official openai SDK through the gateway: a provider added with a
 * proxy pool and a key with its own password-protected proxy (both real CONNECT proxies see the
 * tunnels, History names the proxy), the masked password surviving edit/save round trips (the
 * proxy still accepts the credentials afterwards), and an OAuth account whose token comes from
 * the fake token endpoint — its row shows until when the token is valid, or the refused refresh,
 * and Edit changes the account's fields in place (masked secrets kept).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerControlHttp } from '../../src-proxy/control/http-transport.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';
import { errorAnswer, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startFakeOAuthServer, type FakeOAuthServer } from '../fixtures/fake-oauth-server.ts';
import { startHttpConnectProxy, type FakeProxy } from '../fixtures/fake-proxies.ts';
import { launchChromium } from './support/browser.ts';
import { DIST_RENDERER } from './support/demo-server.ts';
import { collectPageErrors } from './support/page-errors.ts';

const SHOTS = fileURLToPath(new URL('../../test-results/e2e-live', import.meta.url));
const PASSWORD = 'e2e-key-proxy-pa55word';
const REFRESH_TOKEN = 'rt-e2e-account-refresh-token';
const CLIENT_SECRET = 'cs-e2e-account-client-secret';
const NEW_REFRESH_TOKEN = 'rt-e2e-account-second-refresh-token';

let browser: Browser;
let page: Page;
let gateway: Gateway;
let upstream: FakeOpenAi;
let accountUpstream: FakeOpenAi;
let oauth: FakeOAuthServer;
let authProxy: FakeProxy;
let poolProxy: FakeProxy;
let dataDir: string;
let errors: string[];
let client: OpenAI;
const adminToken = randomBytes(32).toString('base64url');

beforeAll(async () => {
  browser = await launchChromium();
  upstream = await startFakeOpenAi();
  accountUpstream = await startFakeOpenAi();
  oauth = await startFakeOAuthServer({ refreshToken: REFRESH_TOKEN, clientId: 'e2e-client', clientSecret: CLIENT_SECRET });
  // The account's upstream takes only tokens the fake token endpoint issued.
  accountUpstream.route = (record) => (oauth.accepts(record.headers.authorization) ? undefined : errorAnswer(401, 'Request had invalid authentication credentials.'));
  authProxy = await startHttpConnectProxy({ user: 'alice', password: PASSWORD });
  poolProxy = await startHttpConnectProxy();
  dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-accounts-'));
  gateway = await createGateway({
    dataDir, port: 0, keepListenerWhenStopped: true, env: {},
    extendServer: (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken: () => adminToken, staticDir: DIST_RENDERER }),
  });
  const status = await gateway.start();
  await gateway.control.updateSettings({ proxies: [{ id: 'pool-a', url: poolProxy.url, enabled: true }] });
  const { token } = await gateway.control.createClientToken({ name: 'e2e sdk' });
  client = new OpenAI({ baseURL: `http://127.0.0.1:${status.port}/v1`, apiKey: token, maxRetries: 0 });
  const context = await browser.newContext({ viewport: { width: 760, height: 560 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(`http://127.0.0.1:${status.port}/_switchboard/#token=${adminToken}`);
  await page.waitForSelector('h1:has-text("Overview")');
  await page.click('a[href="#/providers"]');
  await page.waitForSelector('h1:has-text("Providers")');
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close({ drainTimeoutMs: 100 });
  await Promise.all([upstream?.close(), accountUpstream?.close(), oauth?.close(), authProxy?.close(), poolProxy?.close()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const ask = (model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
const tunnelsTo = (proxy: FakeProxy, target: FakeOpenAi) => proxy.tunnels.filter((tunnel) => tunnel.accepted && tunnel.target === `127.0.0.1:${target.port}`);
/** Chat calls that went through the proxy's tunnels (a kept-alive tunnel carries several). */
const chatsThrough = (proxy: FakeProxy, target: FakeOpenAi) => tunnelsTo(proxy, target).flatMap((tunnel) => tunnel.requestLines).filter((line) => line === 'POST /v1/chat/completions').length;
const keyRow = (card: Locator, label: string) => card.locator(`tbody tr:has(td:first-child:has-text("${label}"))`).first();

describe('provider proxies and accounts in the dashboard', () => {
  it('adds a provider with a proxy pool and a key with its own proxy; the SDK goes through both, History names the proxy', async () => {
    await page.click('button:has-text("Add provider") >> nth=0');
    await page.click('button.preset:has(strong:text-is("OpenAI"))');
    await page.fill('label:has-text("Provider id") + input', 'corp');
    await page.fill('label:has-text("Base URL") + input', upstream.baseUrl);
    await page.fill('label:has-text("API key") + input', 'sk-e2e-pool-key-0001');
    await page.click('[role="radiogroup"][aria-label="Outbound proxy"] button:has-text("Proxy pool")');
    const pool = page.locator('[role="group"][aria-label="Proxies of the pool"]');
    expect(await pool.textContent()).toContain(`http://127.0.0.1:${poolProxy.port}`);
    await pool.locator('label:has-text("pool-a") input[type="checkbox"]').check();
    await page.screenshot({ path: join(SHOTS, 'provider-form-pool.png'), fullPage: true });
    await page.click('form button[type="submit"]:has-text("Add provider")');
    const card = page.locator('article.provider:has-text("corp")');
    await card.waitFor();
    await expect.poll(() => card.locator('[data-testid="proxy-of-corp"]').textContent()).toBe('via the pool pool-a');

    const add = card.locator('form.add-key');
    await add.locator('label:has-text("New key for") + input').fill('sk-e2e-alice-key-0002');
    await add.locator('label:has-text("Label") + input').fill('alice key');
    await add.locator('label:has-text("Proxy for this key") + input').fill(`http://alice:${PASSWORD}@127.0.0.1:${authProxy.port}`);
    await add.locator('button[type="submit"]').click();
    const alice = keyRow(card, 'alice key');
    await alice.waitFor();
    expect(await alice.textContent()).toContain(`via http://alice:•••@127.0.0.1:${authProxy.port}`);
    await page.screenshot({ path: join(SHOTS, 'provider-keys-proxies.png'), fullPage: true });

    for (let round = 0; round < 4; round += 1) expect((await ask('corp/fake-large')).choices[0]!.message.content).toBe('Hello from fake');
    expect(tunnelsTo(poolProxy, upstream).length).toBeGreaterThan(0);
    const aliceTunnels = tunnelsTo(authProxy, upstream);
    expect(aliceTunnels.length).toBeGreaterThan(0);
    expect(aliceTunnels[0]!.credentials).toBe(`Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`);

    gateway.flushHistory();
    await page.click('a[href="#/history"]');
    await page.locator('.history-scroll .history-row:has-text("corp")').first().click();
    const via = page.locator('.attempt-proxy').first();
    await via.waitFor();
    expect(await via.textContent()).toMatch(new RegExp(`via http://127\\.0\\.0\\.1:(${poolProxy.port}|${authProxy.port})`));
    // A plain-http provider answers in HTTP/1.1, through its proxy as directly.
    expect(await page.locator('.attempt-protocol').first().textContent()).toBe(' over HTTP/1.1');
    await page.screenshot({ path: join(SHOTS, 'history-proxy.png') });
    await page.keyboard.press('Escape');
    await page.click('a[href="#/providers"]');
    // The provider's Test says which proxy its call went through.
    const tested = page.locator('article.provider:has-text("corp") .test-provider');
    await tested.locator('button:has-text("Test")').click();
    await expect.poll(() => tested.textContent(), { timeout: 15_000 }).toMatch(new RegExp(`✓ 200 .* · via http://127\\.0\\.0\\.1:(${poolProxy.port}|${authProxy.port})`));
    expect(await page.content()).not.toContain(PASSWORD);
  });

  it('keeps the masked proxy password through edit/save of the key and of the provider; the proxy still authenticates', async () => {
    const card = page.locator('article.provider:has-text("corp")');
    await card.waitFor();
    // The key: a new secret, its proxy field left as the mask it shows.
    const alice = keyRow(card, 'alice key');
    await alice.locator('button:has-text("Edit")').click();
    const proxyField = card.locator('input[aria-label="Proxy for alice key"]');
    expect(await proxyField.inputValue()).toBe(`http://alice:•••@127.0.0.1:${authProxy.port}`);
    await card.locator('input[aria-label="New secret for alice key"]').fill('sk-e2e-alice-key-0003');
    await card.locator('form[aria-label="Edit key alice key"] button:has-text("Save")').click();
    await proxyField.waitFor({ state: 'detached' });
    // Only alice's key from now on.
    await keyRow(card, 'key 1').locator('[role="switch"]').click();
    await expect.poll(async () => (await gateway.control.listProviders()).find((p) => p.id === 'corp')!.keys.find((k) => k.label === 'key 1')!.enabled).toBe(false);
    const before = chatsThrough(authProxy, upstream);
    await ask('corp/fake-large');
    expect(chatsThrough(authProxy, upstream)).toBe(before + 1);
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-e2e-alice-key-0003');

    // The provider: one proxy URL with a password, then saved again as shown (masked).
    await card.locator('button:has-text("Edit proxy")').click();
    await card.locator('[role="radiogroup"][aria-label="Outbound proxy"] button:has-text("One proxy URL")').click();
    await card.locator('label:has-text("Proxy URL") + input').fill(`http://alice:${PASSWORD}@127.0.0.1:${authProxy.port}`);
    await card.locator('button:has-text("Save proxy")').click();
    await expect.poll(() => card.locator('[data-testid="proxy-of-corp"]').textContent()).toBe(`via http://alice:•••@127.0.0.1:${authProxy.port}`);
    await card.locator('button:has-text("Edit proxy")').click();
    expect(await card.locator('label:has-text("Proxy URL") + input').inputValue()).toBe(`http://alice:•••@127.0.0.1:${authProxy.port}`);
    await page.screenshot({ path: join(SHOTS, 'provider-proxy-edit.png'), fullPage: true });
    await card.locator('button:has-text("Save proxy")').click();
    await card.locator('button:has-text("Edit proxy")').waitFor();
    // Calls now go through the provider's proxy: alice's key loses its own, key 1 comes back.
    await alice.locator('button:has-text("Edit")').click();
    await card.locator('input[aria-label="Proxy for alice key"]').fill('');
    await card.locator('form[aria-label="Edit key alice key"] button:has-text("Save")').click();
    await expect.poll(async () => (await gateway.control.listProviders()).find((p) => p.id === 'corp')!.keys.every((k) => k.proxy === null)).toBe(true);
    const beforeProvider = chatsThrough(authProxy, upstream);
    await ask('corp/fake-large');
    await ask('corp/fake-large');
    // Alice's key now goes through the provider's proxy: a stored mask instead of the password would have been refused (407).
    expect(chatsThrough(authProxy, upstream)).toBe(beforeProvider + 2);
    expect(authProxy.tunnels.every((tunnel) => tunnel.accepted)).toBe(true);
    expect(await page.content()).not.toContain(PASSWORD);

    // A rename alone: the row shows the new label; the secret stays.
    await alice.locator('button:has-text("Edit")').click();
    await card.locator('input[aria-label="Label of alice key"]').fill('alice laptop');
    await page.screenshot({ path: join(SHOTS, 'provider-key-edit.png'), fullPage: true });
    await card.locator('form[aria-label="Edit key alice key"] button:has-text("Save")').click();
    await keyRow(card, 'alice laptop').waitFor();
    await ask('corp/fake-large');
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-e2e-alice-key-0003');
  });

  it('adds a provider whose first key has its own label and proxy, masked after save; the SDK goes through that proxy', async () => {
    await page.click('button:has-text("Add provider") >> nth=0');
    await page.click('button.preset:has(strong:text-is("OpenAI"))');
    await page.fill('label:has-text("Name") + input', 'First key provider');
    await page.fill('label:has-text("Provider id") + input', 'firstkey');
    await page.fill('label:has-text("Base URL") + input', upstream.baseUrl);
    await page.fill('label:has-text("API key") + input', 'sk-e2e-first-key-0005');
    const dialog = page.locator('[role="dialog"]');
    await dialog.locator('label:has-text("Label") + input').fill('first laptop');
    await dialog.locator('label:has-text("Proxy for this key") + input').fill(`http://alice:${PASSWORD}@127.0.0.1:${authProxy.port}`);
    await dialog.locator('label:has-text("Proxy for this key") + input').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'provider-form-first-key-proxy.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'provider-form-first-key-proxy-wide.png') });
    await page.setViewportSize({ width: 760, height: 560 });
    await page.click('form button[type="submit"]:has-text("Add provider")');
    const card = page.locator('article.provider:has-text("First key provider")');
    const row = keyRow(card, 'first laptop');
    await row.waitFor();
    expect(await row.textContent()).toContain(`via http://alice:•••@127.0.0.1:${authProxy.port}`);
    const before = chatsThrough(authProxy, upstream);
    expect((await ask('firstkey/fake-large')).choices[0]!.message.content).toBe('Hello from fake');
    expect(chatsThrough(authProxy, upstream)).toBe(before + 1);
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-e2e-first-key-0005');
    expect(await page.content()).not.toContain(PASSWORD);
    await gateway.control.deleteProvider({ id: 'firstkey' });
  });

  it('shows a bad proxy URL refused by the control API at its field', async () => {
    const card = page.locator('article.provider:has-text("corp")');
    const add = card.locator('form.add-key');
    await add.locator('label:has-text("New key for") + input').fill('sk-e2e-bad-proxy-0004');
    await add.locator('label:has-text("Proxy for this key") + input').fill('ftp://proxy.corp:21');
    await add.locator('button[type="submit"]').click();
    const problem = add.locator('.field-error');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('is not a proxy scheme');
    expect((await gateway.control.listProviders()).find((p) => p.id === 'corp')!.keys).toHaveLength(2);
    await add.locator('label:has-text("Proxy for this key") + input').fill('');
  });

  it('adds an OAuth account; the SDK call succeeds with its token, the row shows its validity, then a refused refresh', async () => {
    await gateway.control.createProvider({ id: 'acct', kind: 'openai', name: 'Account provider', baseUrl: accountUpstream.baseUrl });
    const card = page.locator('article.provider:has-text("Account provider")');
    await card.waitFor();
    const add = card.locator('form.add-key');
    await add.locator('[role="radio"]:has-text("OAuth account")').click();
    await add.locator('label:has-text("Token URL") + input').fill(oauth.tokenUrl);
    await add.locator('label:has-text("Client id") + input').fill('e2e-client');
    await add.locator('label:has-text("Client secret") + input').fill(CLIENT_SECRET);
    await add.locator('label:has-text("Refresh token") + input').fill(REFRESH_TOKEN);
    await add.locator('label:has-text("Scopes") + input').fill('model.invoke offline');
    await add.locator('label:has-text("Label") + input').fill('team account');
    expect(await add.locator('label:has-text("Refresh token") + input').getAttribute('type')).toBe('password');
    await page.screenshot({ path: join(SHOTS, 'oauth-account-form.png'), fullPage: true });
    await add.locator('button[type="submit"]:has-text("Add OAuth account")').click();
    const row = keyRow(card, 'team account');
    await row.waitFor();

    expect((await ask('acct/fake-large')).choices[0]!.message.content).toBe('Hello from fake');
    expect(oauth.refreshes.at(-1)).toMatchObject({ grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN, client_id: 'e2e-client', scope: 'model.invoke offline' });
    await expect.poll(() => row.locator('.key-state').textContent(), { timeout: 30_000 }).toContain('token valid until');
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'oauth-account-row.png') });

    // The token server now refuses: the account rests and its row says why.
    oauth.refuse = { status: 400, error: 'invalid_grant', description: 'Token has been expired or revoked.' };
    oauth.revokeAccessTokens();
    await expect(ask('acct/fake-large')).rejects.toThrow();
    await expect.poll(() => row.locator('.key-state').textContent(), { timeout: 30_000 }).toContain('oauth_refresh_failed');
    const state = await row.locator('.key-state').textContent();
    expect(state).toContain('resting until');
    expect(state).toContain('invalid_grant: Token has been expired or revoked.');
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'oauth-account-refused.png') });
    const html = await page.content();
    for (const secret of [REFRESH_TOKEN, CLIENT_SECRET, PASSWORD]) expect(html).not.toContain(secret);
    // Refused answers are the browser's console lines (400 from the bad proxy URL); nothing else went wrong.
    expect(errors.filter((text) => !/status of 400/.test(text))).toEqual([]);
  }, 120_000);

  it('edits the refused OAuth account in place: a new refresh token and scopes, the client secret kept from its mask', async () => {
    // The user got a new refresh token; the token server takes it (and only it) again.
    oauth.refuse = null;
    oauth.currentRefreshToken = NEW_REFRESH_TOKEN;
    const card = page.locator('article.provider:has-text("Account provider")');
    const row = keyRow(card, 'team account');
    await row.locator('button:has-text("Edit")').click();
    const form = card.locator('form[aria-label="Edit key team account"]');
    expect(await form.locator('input[aria-label="Token URL of team account"]').inputValue()).toBe(oauth.tokenUrl);
    expect(await form.locator('input[aria-label="Client id of team account"]').inputValue()).toBe('…nt');
    expect(await form.locator('input[aria-label="Client secret of team account"]').getAttribute('placeholder')).toBe('saved cs-…cret (blank: keep it)');
    await form.locator('input[aria-label="Refresh token of team account"]').fill(NEW_REFRESH_TOKEN);
    await form.locator('input[aria-label="Scopes of team account"]').fill('model.invoke');
    await form.locator('input[aria-label="Label of team account"]').fill('team account 2');
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'oauth-account-edit.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'oauth-account-edit-wide.png') });
    await page.setViewportSize({ width: 760, height: 560 });
    await form.locator('button:has-text("Save")').click();
    const edited = keyRow(card, 'team account 2');
    await edited.waitFor();
    // Saved with its rest lifted: the next call refreshes with the new token and the kept client secret.
    expect((await ask('acct/fake-large')).choices[0]!.message.content).toBe('Hello from fake');
    expect(oauth.refreshes.at(-1)).toMatchObject({ refresh_token: NEW_REFRESH_TOKEN, client_id: 'e2e-client', client_secret: CLIENT_SECRET, scope: 'model.invoke' });
    await expect.poll(() => edited.locator('.key-state').textContent(), { timeout: 30_000 }).toContain('token valid until');
    const html = await page.content();
    for (const secret of [REFRESH_TOKEN, NEW_REFRESH_TOKEN, CLIENT_SECRET]) expect(html).not.toContain(secret);
  }, 120_000);
});
