/**
 * The dashboard of a team server says who is signed in and signs out: `switchboard serve` in team
 * mode (the PostgreSQL store, started by the test fixture, `--store` and the team secret key) in a
 * real browser. The sidebar names the admin token's holder ("admin"); Sign out makes the tab forget
 * the token (a reload stays signed out) while the server still accepts it from the printed address.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServeCommand, type ServeHandle } from '../../src-proxy/cli/serve-command.ts';
import { createTestDatabase, startPostgresServer, type PostgresServer } from '../fixtures/postgres-server.ts';
import { launchChromium } from './support/browser.ts';
import { collectPageErrors } from './support/page-errors.ts';

let browser: Browser;
let page: Page;
let postgres: PostgresServer;
let serve: ServeHandle;
let dataDir: string;
let dashboardUrl: string;
let errors: string[];

/** The admin token this tab keeps (sessionStorage; the page's globals are not typed here). */
const storedToken = () => page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('switchboard.adminToken'));

beforeAll(async () => {
  postgres = await startPostgresServer();
  const store = await createTestDatabase(postgres.url, { prefix: 'signedin' });
  dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-team-'));
  let printed = '';
  const io = { stdout: { write: (chunk: string) => (printed += chunk) }, stderr: { write: (chunk: string) => (printed += chunk) }, env: { SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('hex') } };
  const started = await runServeCommand(['--store', store, '--port', '0', '--data-dir', dataDir, '--log-format', 'json'], io);
  if (typeof started === 'number') throw new Error(`serve exited with ${started}:\n${printed}`);
  serve = started;
  const match = /Dashboard:\s+(\S+#token=[\w-]+)/.exec(printed);
  if (!match) throw new Error(`serve printed no dashboard address:\n${printed}`);
  dashboardUrl = match[1]!;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1100, height: 720 } })).newPage();
  errors = collectPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await serve?.shutdown();
  await postgres?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('team server dashboard: who is signed in', () => {
  it('names the admin in the sidebar', async () => {
    await page.goto(dashboardUrl);
    await page.waitForSelector('h1:has-text("Overview")');
    const signedIn = page.locator('.sidebar-user');
    await signedIn.getByText('Signed in as admin').waitFor();
    expect(await storedToken()).not.toBeNull();
  });

  it('signs out: the tab forgets the token and stays signed out after a reload', async () => {
    await page.locator('.sidebar-user').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('h1:has-text("Signed out")');
    expect(await storedToken()).toBeNull();
    await page.reload();
    await page.waitForSelector('h1:has-text("Signed out")');
    expect(await page.locator('.sidebar').count()).toBe(0);
  });

  it('signs in again from the printed address (the server never stopped accepting the token)', async () => {
    await page.goto('about:blank');
    await page.goto(dashboardUrl);
    await page.locator('.sidebar-user').getByText('Signed in as admin').waitFor();
    await page.waitForSelector('h1:has-text("Overview")');
    // The signed-out page's own 401s are expected; nothing else may have failed.
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
  });
});
