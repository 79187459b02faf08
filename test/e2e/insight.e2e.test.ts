/**
 * Issue 15's dashboard parts in a real browser against the real engine (createGateway + the HTTP
 * control transport, as `switchboard serve` wires them) and a fake OpenAI-compatible upstream:
 * the live log console (lines pushed over the event stream, redacted, level filter, pause),
 * Settings → Diagnostics (a real .tar.gz downloaded through the typed control client, unpacked
 * with tar) and replay from History (a captured request edited and sent to another alias).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerControlHttp } from '../../src-proxy/control/http-transport.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';
import { createLogTail } from '../../src-proxy/log-tail.ts';
import { createLogger } from '../../src-proxy/logging.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { launchChromium } from './support/browser.ts';
import { DIST_RENDERER } from './support/demo-server.ts';
import { collectPageErrors } from './support/page-errors.ts';

const SHOTS = fileURLToPath(new URL('../../test-results/e2e-insight', import.meta.url));
const SECRET = 'sk-e2e-log-secret-4b9d1f7a3c';

let browser: Browser;
let page: Page;
let gateway: Gateway;
let dir: string;
let errors: string[];
let upstream: FakeOpenAi;
let origin: string;
let clientToken: string;
const adminToken = randomBytes(32).toString('base64url');

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'sb-e2e-insight-'));
  mkdirSync(SHOTS, { recursive: true });
  const logTail = createLogTail();
  gateway = await createGateway({
    dataDir: join(dir, 'data'),
    port: 0,
    keepListenerWhenStopped: true,
    logTail,
    logger: createLogger({ format: 'json', level: 'debug', destination: { write: () => undefined }, tail: logTail }),
    extendServer: (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken: () => adminToken, staticDir: DIST_RENDERER }),
  });
  upstream = await startFakeOpenAi({ models: ['up-first', 'up-second'] });
  await gateway.control.updateSettings({ recordBodies: true });
  await gateway.control.createProvider({ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl });
  await gateway.control.addKey({ providerId: 'fake', secret: 'sk-e2e-upstream-key' });
  await gateway.control.createAlias({ alias: 'first', targets: [{ provider: 'fake', model: 'up-first' }] });
  await gateway.control.createAlias({ alias: 'second', targets: [{ provider: 'fake', model: 'up-second' }] });
  clientToken = (await gateway.control.createClientToken({ name: 'e2e-sdk' })).token;
  const status = await gateway.start();
  origin = `http://127.0.0.1:${status.port}`;
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, acceptDownloads: true });
  page = await context.newPage();
  errors = collectPageErrors(page);
  gateway.logger.info('before the console opened');
  await page.goto(`${origin}/_switchboard/#token=${adminToken}`);
  await page.waitForSelector('h1:has-text("Overview")');
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close({ drainTimeoutMs: 100 });
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const line = (text: string) => page.locator('.log-line', { hasText: text });

describe('live log console', () => {
  it('shows the tail, then new lines as they are logged, with secrets redacted', async () => {
    await page.click('a[href="#/logs"]');
    await page.waitForSelector('h1:has-text("Logs")');
    await line('before the console opened').waitFor();
    gateway.logger.warn({ apiKey: SECRET, provider: 'openai' }, 'a key was rejected');
    await line('a key was rejected').waitFor();
    expect(await line('a key was rejected').textContent()).toContain('apiKey=[redacted]');
    expect(await page.locator('.log-console').textContent()).not.toContain(SECRET);
  });

  it('filters by level', async () => {
    gateway.logger.debug('a debug detail');
    await line('a debug detail').waitFor();
    await page.selectOption('select[aria-label="Level"]', 'warn');
    await expect.poll(() => line('a debug detail').count()).toBe(0);
    expect(await line('before the console opened').count()).toBe(0);
    expect(await line('a key was rejected').count()).toBe(1);
  });

  it('pauses: new lines wait until resumed', async () => {
    await page.click('button:has-text("Pause")');
    gateway.logger.error('while paused');
    await page.waitForSelector('button:has-text("Resume (1 new)")');
    expect(await line('while paused').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'logs-paused.png') });
    await page.click('button:has-text("Resume")');
    await line('while paused').waitFor();
    await page.selectOption('select[aria-label="Level"]', 'trace');
    await page.screenshot({ path: join(SHOTS, 'logs.png') });
  });
});

describe('Settings → Diagnostics', () => {
  it('downloads the bundle as a .tar.gz that unpacks to the documented files', async () => {
    await page.click('a[href="#/settings"]');
    await page.waitForSelector('h2:has-text("Diagnostics")');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 45_000 }), page.click('button:has-text("Save diagnostics bundle")')]);
    expect(download.suggestedFilename()).toMatch(/^switchboard-diagnostics-.+\.tar\.gz$/);
    const file = join(dir, 'bundle.tar.gz');
    await download.saveAs(file);
    const out = join(dir, 'unpacked');
    mkdirSync(out);
    execFileSync('tar', ['-xzf', file, '-C', out]);
    expect(readdirSync(out).sort()).toEqual(['README.txt', 'config.json', 'doctor.json', 'doctor.txt', 'history.jsonl', 'log-tail.txt', 'settings.json', 'status.json', 'versions.json']);
    const log = readFileSync(join(out, 'log-tail.txt'), 'utf8');
    expect(log).toContain('a key was rejected');
    expect(log).not.toContain(SECRET);
    await page.waitForSelector('[role="status"]:has-text("Saved switchboard-diagnostics-")');
    await page.locator('.panel:has-text("Diagnostics")').screenshot({ path: join(SHOTS, 'diagnostics.png') });
    expect(errors).toEqual([]);
  });
});

describe('replay from History', () => {
  it('opens a captured request editable, sends it again against another alias, and shows the answer', async () => {
    const sdk = new OpenAI({ baseURL: `${origin}/v1`, apiKey: clientToken, maxRetries: 0 });
    await sdk.chat.completions.create({ model: 'first', messages: [{ role: 'user', content: 'the original question' }] });
    gateway.flushHistory();
    await page.click('a[href="#/history"]');
    await page.click('.history-scroll .history-row:has-text("first")');
    await page.click('.sheet button:has-text("Replay…")');
    const body = page.locator('textarea[aria-label="Request body"]');
    expect(await body.inputValue()).toContain('the original question');
    await body.fill((await body.inputValue()).replace('the original question', 'an edited question'));
    await page.selectOption('select[aria-label="Replay against"]', 'second');
    await page.fill('.replay input[aria-label="New token name"]', 'replay-e2e');
    await page.click('.replay button:has-text("Create token")');
    await page.waitForSelector('.replay select[aria-label="Client token"] option:has-text("replay-e2e")', { state: 'attached' });
    const before = upstream.requests.length;
    await page.click('button:has-text("Send again")');
    await page.waitForSelector('.replay summary:has-text("Answer · 200")');
    expect(await page.textContent('.replay-answer')).toContain('Hello from fake');
    const sent = upstream.requests.slice(before).find((request) => request.path.endsWith('/chat/completions'));
    expect(sent?.body).toMatchObject({ model: 'up-second', messages: [{ role: 'user', content: 'an edited question' }] });
    await page.locator('.sheet').screenshot({ path: join(SHOTS, 'replay.png') });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});
