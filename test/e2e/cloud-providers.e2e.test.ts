/**
 * Adding the cloud providers in a real browser against the real engine: AWS Bedrock with an IAM
 * access key typed into its own fields (the fake checks the SigV4 signature of the Test call),
 * Google Vertex AI with a service-account JSON key file chosen from disk (the fake checks the
 * JWT and the token it issued). Neither secret is ever shown again in the page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerControlHttp } from '../../src-proxy/control/http-transport.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';
import { startFakeBedrock, type FakeBedrock } from '../fixtures/fake-bedrock-upstream.ts';
import { startFakeVertex, type FakeServiceAccount, type FakeVertex } from '../fixtures/fake-vertex-upstream.ts';
import { launchChromium } from './support/browser.ts';
import { DIST_RENDERER } from './support/demo-server.ts';
import { collectPageErrors } from './support/page-errors.ts';

const SHOTS = fileURLToPath(new URL('../../test-results/e2e-live', import.meta.url));
const IDENTITY = { accessKeyId: 'AKIAE2EEXAMPLE000001', secretAccessKey: 'e2e/Secret+Access/Key0123456789abcdefghij' };

let browser: Browser;
let page: Page;
let gateway: Gateway;
let bedrock: FakeBedrock;
let vertex: FakeVertex;
let account: FakeServiceAccount;
let dataDir: string;
let errors: string[];
const adminToken = randomBytes(32).toString('base64url');

beforeAll(async () => {
  browser = await launchChromium();
  bedrock = await startFakeBedrock({ identities: [IDENTITY] });
  vertex = await startFakeVertex();
  account = vertex.account();
  dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-clouds-'));
  gateway = await createGateway({
    dataDir, port: 0, keepListenerWhenStopped: true,
    extendServer: (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken: () => adminToken, staticDir: DIST_RENDERER }),
  });
  const status = await gateway.start();
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(`http://127.0.0.1:${status.port}/_switchboard/#token=${adminToken}`);
  await page.waitForSelector('h1:has-text("Overview")');
  await page.click('a[href="#/providers"]');
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close({ drainTimeoutMs: 100 });
  await bedrock?.close();
  await vertex?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openPreset(name: string) {
  await page.click('button:has-text("Add provider") >> nth=0');
  await page.click(`button.preset:has-text("${name}")`);
}

describe('cloud providers in the dashboard', () => {
  it('groups the presets in the picker, finds one by search and shows where its key is made', async () => {
    await page.click('button:has-text("Add provider") >> nth=0');
    // allTextContents() reads what is there at once, without waiting: the sheet opens and renders
    // its picker after the click (read at once, it was sometimes still empty in the clean-clone CI).
    await page.locator('.preset-picker h3').first().waitFor();
    const headings = await page.locator('.preset-picker h3').allTextContents();
    expect(headings).toEqual(['Model APIs', 'Cloud platforms', 'On this machine', 'Anything else']);
    expect(await page.locator('button.preset').count()).toBe(18);
    await page.fill('input[aria-label="Search services"]', 'cerebras');
    await expect.poll(() => page.locator('button.preset').allTextContents()).toEqual([expect.stringContaining('Cerebras')]);
    await page.screenshot({ path: join(SHOTS, 'preset-search.png') });
    await page.click('button.preset:has-text("Cerebras")');
    const link = page.locator('.key-hint a');
    expect(await link.getAttribute('href')).toBe('https://cloud.cerebras.ai/platform');
    expect(await page.locator('.key-hint').textContent()).toContain('csk-');
    await page.click('button:has-text("Back")');
    await page.keyboard.press('Escape');
    await page.locator('.preset-picker').waitFor({ state: 'detached' });
  });

  it('adds AWS Bedrock with an IAM access key in its own fields, and tests it with a signed call', async () => {
    await openPreset('AWS Bedrock');
    await page.fill('label:has-text("Base URL") + input', bedrock.origin);
    await page.fill('label:has-text("AWS region") + input', 'eu-central-1');
    await page.fill('label:has-text("Access key ID") + input', IDENTITY.accessKeyId);
    await page.fill('label:has-text("Secret access key") + input', IDENTITY.secretAccessKey);
    expect(await page.getAttribute('label:has-text("Secret access key") + input', 'type')).toBe('password');
    await page.screenshot({ path: join(SHOTS, 'add-bedrock.png') });
    await page.click('form button[type="submit"]:has-text("Add provider")');
    const card = page.locator('article.provider:has-text("AWS Bedrock")');
    await card.waitFor();
    await card.locator('button:has-text("Test")').click();
    await card.locator('.text-ok').waitFor();
    const listing = bedrock.requests.filter((request) => request.operation === 'foundation-models').at(-1)!;
    expect([listing.auth, listing.region]).toEqual(['sigv4', 'eu-central-1']);
    expect(await page.content()).not.toContain(IDENTITY.secretAccessKey);
  });

  it('adds Google Vertex AI with a service-account JSON key file, and tests it with a token exchange', async () => {
    await openPreset('Google Vertex AI');
    await page.fill('label:has-text("Base URL") + input', vertex.origin);
    await page.fill('label:has-text("Google Cloud project") + input', 'e2e-proj');
    const file = join(dataDir, 'service-account.json');
    writeFileSync(file, account.json);
    await page.setInputFiles('input[type="file"]', file);
    await page.waitForSelector(`[role="status"]:has-text("${account.clientEmail}")`);
    await page.screenshot({ path: join(SHOTS, 'add-vertex.png') });
    await page.click('form button[type="submit"]:has-text("Add provider")');
    const card = page.locator('article.provider:has-text("Google Vertex AI")');
    await card.waitFor();
    await card.locator('button:has-text("Test")').click();
    await card.locator('.text-ok').waitFor();
    expect(vertex.exchanges.some((exchange) => exchange.ok)).toBe(true);
    const privateKey = (JSON.parse(account.json) as { private_key: string }).private_key;
    const html = await page.content();
    expect(html).not.toContain('PRIVATE KEY');
    expect(html).not.toContain(privateKey.split('\n')[1]!);
    await page.screenshot({ path: join(SHOTS, 'cloud-providers.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
