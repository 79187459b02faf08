/**
 * The whole path a user takes, in a real browser against the real engine (`switchboard serve`
 * wiring: createGateway + the HTTP control transport) with a fake OpenAI-compatible upstream:
 * add a provider and key, create an alias, create a client token, send a request with the
 * official OpenAI SDK, watch it appear live in History, open its detail, revoke the token and
 * see the next request refused.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerControlHttp } from '../../src-proxy/control/http-transport.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { launchChromium } from './support/browser.ts';
import { DIST_RENDERER } from './support/demo-server.ts';
import { collectPageErrors } from './support/page-errors.ts';
import { screenshotEveryPage } from './support/screenshots.ts';

const LIVE_SCREENSHOTS = fileURLToPath(new URL('../../test-results/e2e-live', import.meta.url));

let browser: Browser;
let page: Page;
let gateway: Gateway;
let upstream: FakeOpenAi;
let dataDir: string;
let origin: string;
let errors: string[];
const adminToken = randomBytes(32).toString('base64url');
let clientToken = '';

/** What `switchboard serve` wires: the engine plus the dashboard and control API over HTTP. */
async function startServe(port: number): Promise<Gateway> {
  return createGateway({
    dataDir,
    port,
    keepListenerWhenStopped: true,
    extendServer: (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken: () => adminToken, staticDir: DIST_RENDERER }),
  });
}

beforeAll(async () => {
  browser = await launchChromium();
  upstream = await startFakeOpenAi({ models: ['up-model', 'up-other'] });
  dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  gateway = await startServe(0);
  const status = await gateway.start();
  origin = `http://127.0.0.1:${status.port}`;
  // Clipboard permissions: "Copy as curl" is read back and run in a shell.
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(`${origin}/_switchboard/#token=${adminToken}`);
  await page.waitForSelector('h1:has-text("Overview")');
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close({ drainTimeoutMs: 100 });
  await upstream?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const sdk = () => new OpenAI({ baseURL: `${origin}/v1`, apiKey: clientToken, maxRetries: 0 });

describe('switchboard serve dashboard, end to end', () => {
  it('shows the running proxy with its endpoints', async () => {
    await page.waitForSelector(`code:has-text("${origin}/v1")`);
    expect(await page.textContent('.state')).toBe('running');
  });

  it('adds a provider from the custom preset, with a key', async () => {
    await page.click('a[href="#/providers"]');
    await page.click('button:has-text("Add provider") >> nth=0');
    await page.click('button.preset:has-text("Custom")');
    await page.fill('label:has-text("Provider id") + input', 'fake');
    await page.fill('label:has-text("Name") + input', 'Fake upstream');
    await page.fill('label:has-text("Base URL") + input', upstream.baseUrl);
    await page.fill('input[type="password"]', 'sk-test-secret-123456');
    await page.click('form button[type="submit"]:has-text("Add provider")');
    await page.waitForSelector('article.provider:has-text("Fake upstream")');
    const keyCell = await page.textContent('article.provider td.mono');
    expect(keyCell).not.toContain('secret-123456');
    expect(await page.content()).not.toContain('sk-test-secret-123456');
  });

  it('tests the provider with a real call', async () => {
    await page.click('article.provider button:has-text("Test")');
    await page.waitForSelector('article.provider .text-ok');
  });

  it('creates an alias pointing at the provider', async () => {
    await page.click('a[href="#/models"]');
    await page.click('button:has-text("New alias")');
    await page.fill('label:has-text("Alias") + input', 'e2e-model');
    await page.click('button:has-text("Add target")');
    await page.selectOption('.target select[aria-label="Provider"]', 'fake');
    await page.fill('.target input[aria-label="Upstream model"]', 'up-model');
    await page.click('button:has-text("Save alias")');
    await page.waitForSelector('.alias-item:has-text("e2e-model")');
  });

  it('creates a client on the Clients page, its token shown once', async () => {
    await page.click('a[href="#/settings"]');
    await page.click('button[role="switch"]:has-text("Capture request and response bodies")');
    await page.waitForSelector('button[role="switch"][aria-checked="true"]:has-text("Capture request and response bodies")');
    await page.click('a[href="#/clients"]');
    await page.fill('input[aria-label="New client name"]', 'e2e-sdk');
    await page.click('button:has-text("Create client")');
    clientToken = (await page.textContent('.created-token .secret'))!.trim();
    expect(clientToken.length).toBeGreaterThan(20);
    // The new client's editor opens at once; nothing to limit for this one.
    await page.getByRole('dialog', { name: 'Edit e2e-sdk' }).getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows a request sent with the OpenAI SDK live in History, with its detail', async () => {
    await page.click('a[href="#/history"]');
    await page.waitForSelector('text=No requests recorded yet');
    const stream = await sdk().chat.completions.create({ model: 'e2e-model', stream: true, messages: [{ role: 'user', content: 'hello' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello from fake');
    gateway.flushHistory();
    // No reload: the row arrives over the live event stream.
    const row = page.locator('.history-scroll .history-row:has-text("e2e-model")');
    await row.waitFor();
    expect(await row.textContent()).toContain('e2e-sdk');
    await row.click();
    await page.waitForSelector('.sheet .attempts');
    expect(await page.textContent('.sheet .attempts')).toContain('fake/up-model');
    expect(await page.textContent('.sheet')).toContain('e2e-sdk');
    await page.keyboard.press('Escape');
  });

  it('copies a request as curl that bash runs against the gateway, the token taken from $SWITCHBOARD_TOKEN', async () => {
    await page.click('a[href="#/history"]');
    await page.click('.history-scroll .history-row:has-text("e2e-model")');
    await page.click('.sheet button:has-text("Copy as curl")');
    await page.waitForSelector('.sheet button:has-text("Copied")');
    const command = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(command).not.toContain(clientToken);
    expect(command).toContain('"authorization: Bearer $SWITCHBOARD_TOKEN"');
    expect(command).toContain('--data-raw');
    await page.keyboard.press('Escape');
    // Async: the gateway answering curl runs in this very process.
    const run = await promisify(execFile)('bash', ['--norc', '--noprofile', '-c', command], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SWITCHBOARD_TOKEN: clientToken },
      timeout: 30_000,
    });
    // The same streamed answer the SDK got, through curl.
    expect(run.stdout).toContain('data: [DONE]');
    const text = run.stdout.split('\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Hello from fake');
    gateway.flushHistory();
    await expect.poll(() => page.locator('.history-scroll .history-row:has-text("e2e-model")').count()).toBe(2);
  });

  it('holds a client to the limits set on the Clients page, shows its spend, and its refused request in its history', async () => {
    await page.click('a[href="#/clients"]');
    const card = page.getByRole('article', { name: /e2e-sdk/ });
    await card.getByRole('button', { name: 'Edit e2e-sdk' }).click();
    const sheet = page.getByRole('dialog', { name: 'Edit e2e-sdk' });
    await sheet.getByLabel('Requests per minute (req/min)').fill('1');
    await sheet.getByLabel('Daily budget (USD)').fill('10');
    await sheet.getByRole('button', { name: 'Save' }).click();
    await sheet.waitFor({ state: 'detached' });
    await card.getByText('1 req/min').waitFor();
    // A window counts from when its limit is set: the first request takes the minute's one slot.
    await sdk().chat.completions.create({ model: 'e2e-model', messages: [{ role: 'user', content: 'third' }] });
    const refused = await sdk().chat.completions.create({ model: 'e2e-model', messages: [{ role: 'user', content: 'fourth' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe('rate_limited');
    gateway.flushHistory();
    await page.reload();
    const meter = page.getByRole('article', { name: /e2e-sdk/ }).getByRole('meter', { name: /Today/ });
    await expect.poll(async () => meter.getAttribute('aria-valuetext')).toMatch(/of \$10\.00/);
    await page.getByRole('link', { name: 'History of e2e-sdk →' }).click();
    await page.waitForSelector('.history-scroll .history-row:has-text("429")');
    expect(await page.inputValue('input[aria-label="Client"]')).toBe('e2e-sdk');
  });

  it('refuses the next request once the token is revoked', async () => {
    await page.click('a[href="#/clients"]');
    await page.click('button[aria-label="Revoke e2e-sdk"]');
    await page.click('[role="alertdialog"] button:has-text("Revoke token")');
    await page.getByRole('article', { name: /e2e-sdk/ }).waitFor({ state: 'detached' });
    const refused = await sdk().chat.completions.create({ model: 'e2e-model', messages: [{ role: 'user', content: 'again' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
  });

  it('recovers by itself when the engine restarts: reconnects, re-reads, never stuck on "stopping"', async () => {
    await page.click('a[href="#/overview"]');
    await page.waitForSelector('.sidebar-status:has-text("Proxy running")');
    const port = Number(new URL(origin).port);
    await gateway.close({ drainTimeoutMs: 100 });
    await page.waitForSelector('.sidebar-status:has-text("Reconnecting to Switchboard")');
    // The same data folder and admin token (kept across restarts), on the same port.
    gateway = await startServe(port);
    await gateway.start();
    await page.waitForSelector('.sidebar-status:has-text("Proxy running")', { timeout: 20_000 });
    await page.waitForSelector('.state:has-text("running")');
    expect(await page.locator('text=invalid_admin_token').count()).toBe(0);
    // Live again: a new request shows up without a reload.
    gateway.flushHistory();
    const before = await page.locator('.feed li').count();
    const { token } = await gateway.control.createClientToken({ name: 'after-restart' });
    const answer = await new OpenAI({ baseURL: `${origin}/v1`, apiKey: token, maxRetries: 0 }).chat.completions.create({ model: 'e2e-model', messages: [{ role: 'user', content: 'after restart' }] });
    expect(answer.choices[0]?.message.content).toBe('Hello from fake');
    gateway.flushHistory();
    await expect.poll(() => page.locator('.feed li').count(), { timeout: 10_000 }).toBeGreaterThan(before);
    // A connection refused while the engine was down is the browser's own console error.
    errors.splice(0, errors.length, ...errors.filter((line) => !line.includes('Failed to load resource') && !line.includes('ERR_CONNECTION_REFUSED')));
  });

  it('renders every page of the live engine without console errors', async () => {
    await screenshotEveryPage(page, `${origin}/_switchboard/`, LIVE_SCREENSHOTS);
    expect(errors).toEqual([]);
  });
});
