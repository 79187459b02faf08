/**
 * Settings → Proxies in a real browser against the real engine: a proxy added with a password is
 * listed masked (the page never holds the password), disabled and re-enabled without losing it,
 * the system-proxy choice is saved, and a removal a provider's pool still needs is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerControlHttp } from '../../src-proxy/control/http-transport.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';
import { launchChromium } from './support/browser.ts';
import { DIST_RENDERER } from './support/demo-server.ts';
import { collectPageErrors } from './support/page-errors.ts';
import { makeTestCertificate } from '../fixtures/test-certificate.ts';

const SHOTS = fileURLToPath(new URL('../../test-results/e2e-live', import.meta.url));
const PASSWORD = 'e2e-proxy-pa55word';

let browser: Browser;
let page: Page;
let gateway: Gateway;
let dataDir: string;
let errors: string[];
const adminToken = randomBytes(32).toString('base64url');

beforeAll(async () => {
  browser = await launchChromium();
  dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-proxies-'));
  gateway = await createGateway({
    dataDir, port: 0, keepListenerWhenStopped: true, env: {},
    extendServer: (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken: () => adminToken, staticDir: DIST_RENDERER }),
  });
  const status = await gateway.start();
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(`http://127.0.0.1:${status.port}/_switchboard/#token=${adminToken}`);
  await page.waitForSelector('h1:has-text("Overview")');
  await page.click('a[href="#/settings"]');
  await page.waitForSelector('h1:has-text("Settings")');
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close({ drainTimeoutMs: 100 });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('Settings → Proxies', () => {
  it('adds a proxy with a password, lists it masked and keeps the password through a toggle', async () => {
    await page.fill('input[aria-label="Proxy id"]', 'office-1');
    await page.fill('input[aria-label="Proxy URL"]', `http://alice:${PASSWORD}@10.9.8.7:3128`);
    await page.click('button:has-text("Add proxy")');
    const row = page.locator('table[aria-label="Proxies"] tr:has-text("office-1")');
    await row.waitFor();
    expect(await row.textContent()).toContain('http://alice:•••@10.9.8.7:3128');
    await row.locator('[role="switch"]').click();
    await expect.poll(() => row.locator('[role="switch"]').getAttribute('aria-checked')).toBe('false');
    await row.locator('[role="switch"]').click();
    await expect.poll(() => row.locator('[role="switch"]').getAttribute('aria-checked')).toBe('true');
    await page.screenshot({ path: join(SHOTS, 'settings-proxies.png'), fullPage: true });
    expect(await page.content()).not.toContain(PASSWORD);
    const settings = await gateway.control.getSettings({});
    expect(settings.proxies).toEqual([{ id: 'office-1', url: 'http://alice:•••@10.9.8.7:3128', enabled: true }]);
  });

  it('saves the system-proxy choice', async () => {
    await page.selectOption('label:has-text("System proxy") + select', 'on');
    await expect.poll(async () => (await gateway.control.getSettings({})).useSystemProxy).toBe(true);
    await page.selectOption('label:has-text("System proxy") + select', 'default');
    await expect.poll(async () => (await gateway.control.getSettings({})).useSystemProxy).toBe(null);
  });

  it('takes a private CA for https:// proxies from a file, shows its subject and expiry, and refuses text that is no certificate at the field', async () => {
    const certificate = makeTestCertificate({ dns: ['proxy.corp.example'], ip: ['127.0.0.1'] });
    try {
      await page.click('button:has-text("Add a CA certificate")');
      await page.setInputFiles('input[aria-label="CA certificate file"]', certificate.certPath);
      const preview = page.locator('ul[aria-label="Certificates to add"]');
      await preview.waitFor();
      expect(await preview.textContent()).toContain('CN=proxy.corp.example');
      expect(await preview.textContent()).toContain('valid until');
      await page.click('button:has-text("Save CA")');
      const saved = page.locator('ul[aria-label="Trusted proxy CA"]');
      await saved.waitFor();
      expect(await saved.textContent()).toContain('CN=proxy.corp.example');
      expect((await gateway.control.getSettings({})).proxyCa).toBe(certificate.cert.toString('utf8').trim());
      await page.screenshot({ path: join(SHOTS, 'settings-proxy-ca.png'), fullPage: true });

      await page.click('.proxy-ca button:has-text("Replace")');
      await page.fill('label:has-text("CA certificate (PEM)") + textarea', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----');
      const problem = page.locator('.proxy-ca .field-error');
      await problem.waitFor();
      expect(await problem.textContent()).toContain('cannot be read');
      expect(await page.locator('button:has-text("Save CA")').isDisabled()).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'settings-proxy-ca-bad.png'), fullPage: true });
      await page.click('.proxy-ca button:has-text("Cancel")');
      // The control API refuses it too, at the field, for callers that skip the preview.
      await expect(gateway.control.updateSettings({ proxyCa: '-----BEGIN CERTIFICATE-----\nbm90\n-----END CERTIFICATE-----' })).rejects.toMatchObject({ code: 'invalid_request', param: 'proxyCa' });
      expect((await gateway.control.getSettings({})).proxyCa).toBe(certificate.cert.toString('utf8').trim());
    } finally {
      certificate.remove();
    }
  });

  it('refuses to remove a proxy a provider pool still names, and says why', async () => {
    await gateway.control.createProvider({ id: 'corp', kind: 'openai', baseUrl: 'https://api.example.com/v1', proxyPool: ['office-1'] });
    await page.click('table[aria-label="Proxies"] button:has-text("Remove")');
    await page.waitForSelector('text=provider "corp" names proxy "office-1"');
    expect((await gateway.control.getSettings({})).proxies).toHaveLength(1);
    // The refused save is the browser's one console line (a 400 answer); nothing else went wrong.
    expect(errors.filter((text) => !/status of 400/.test(text))).toEqual([]);
  });
});
