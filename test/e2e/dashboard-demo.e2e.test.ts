/**
 * The dashboard in a real browser against the real HTTP transport, backed by the in-memory demo
 * control API: every page renders without console errors or CSP violations, bodies render as
 * text, 100k history rows stay virtualized, and the README screenshots are written.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { startDemoServer } from './support/demo-server.ts';
import { collectPageErrors } from './support/page-errors.ts';
import { PAGES, SCREENSHOT_DIR, screenshotEveryPage } from './support/screenshots.ts';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let demo: Awaited<ReturnType<typeof startDemoServer>>;
let errors: string[];
const SMALL_DIR = fileURLToPath(new URL('../../test-results/e2e-small', import.meta.url));

beforeAll(async () => {
  browser = await launchChromium();
  demo = await startDemoServer();
  mkdirSync(SMALL_DIR, { recursive: true });
  context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(`${demo.url}#token=${demo.token}`);
  await page.waitForSelector('h1:has-text("Overview")');
});

afterAll(async () => {
  await browser?.close();
  await demo?.app.close();
});

describe('dashboard (demo data)', () => {
  it('takes the admin token from the fragment, keeps it in the tab and strips it from the address', async () => {
    expect(page.url()).not.toContain('token=');
    expect(await page.evaluate("sessionStorage.getItem('switchboard.adminToken')")).toBe(demo.token);
  });

  it('tells the user how to get in when opened without the token', async () => {
    const other = await context.browser()!.newContext();
    const fresh = await other.newPage();
    await fresh.goto(demo.url);
    await fresh.waitForSelector('text=Open the dashboard with its address');
    await other.close();
  });

  it('renders every page in light and dark without console errors (README screenshots)', async () => {
    const files = await screenshotEveryPage(page, demo.url, SCREENSHOT_DIR, async (name) => {
      if (name === 'models') await page.click('.alias-item >> nth=0');
      // The demo has agent loops among the newest rows: the screenshot shows their highlight.
      if (name === 'history') await page.waitForSelector('.history-scroll .history-row.loop .badge-loop');
    });
    expect(files).toHaveLength(PAGES.length * 2);
    expect(errors).toEqual([]);
  });

  it('shows captured bodies as text, never as HTML', async () => {
    await page.goto(`${demo.url}#/history`);
    await page.click('.history-scroll .history-row >> nth=0');
    await page.waitForSelector('.body-text');
    expect(await page.locator('.sheet img').count()).toBe(0);
    expect(await page.locator('.body-text').first().textContent()).toContain('<img src=x onerror=alert(1)>');
    await page.keyboard.press('Escape');
  });

  it('reorders alias targets with the keyboard', async () => {
    await page.goto(`${demo.url}#/models`);
    await page.click('.alias-item:has-text("gpt-4o")');
    await page.focus('[data-target-handle="0"]');
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => page.locator('.target select').first().inputValue()).toBe('anthropic');
    await page.click('button:has-text("Save alias")');
    await expect.poll(() => demo.fake.state.aliases.find((a) => a.alias === 'gpt-4o')?.targets[0]?.provider).toBe('anthropic');
  });

  it('adds live history rows pushed over the event stream', async () => {
    await page.goto(`${demo.url}#/history`);
    await page.waitForSelector('.history-scroll .history-row');
    const row = { ...demo.fake.state.history[0]!, id: 'req_live_1', startedAt: Date.now(), requestedModel: 'live-model' };
    demo.fake.state.history.unshift(row);
    demo.fake.events.emit({ type: 'history', rows: [row] });
    await page.waitForSelector('.history-row:has-text("live-model")');
  });
});

describe('small windows', () => {
  it('stays usable at 760×560 (icon sidebar, fewer history columns, no sideways scroll)', async () => {
    await page.setViewportSize({ width: 760, height: 560 });
    try {
      for (const name of ['overview', 'history', 'models', 'connect'] as const) {
        await page.goto(`${demo.url}#/${name}`);
        await page.waitForSelector(`a[aria-current="page"][href="#/${name}"]`);
        await page.locator('.loading').first().waitFor({ state: 'detached' });
        await page.screenshot({ path: `${SMALL_DIR}/${name}-small.png` });
        expect(await page.evaluate("document.querySelector('.content').scrollWidth <= document.querySelector('.content').clientWidth + 1")).toBe(true);
      }
    } finally {
      await page.setViewportSize({ width: 1100, height: 720 });
    }
  });
});

describe('history columns', () => {
  it('brings back the columns a narrow window hides, scrolling the table sideways, and keeps the choice', async () => {
    await page.setViewportSize({ width: 760, height: 560 });
    try {
      await page.goto(`${demo.url}#/history`);
      await page.waitForSelector('.history-scroll .history-row');
      const headers = () => page.locator('.history-head [role="columnheader"]').allTextContents();
      expect(await headers()).not.toContain('Tokens in/out');
      await page.click('button:has-text("Columns")');
      await page.getByRole('menuitemcheckbox', { name: 'Tokens in/out' }).click();
      await page.getByRole('menuitemcheckbox', { name: 'Dialect' }).click();
      await page.keyboard.press('Escape');
      await expect.poll(headers).toEqual(expect.arrayContaining(['Dialect', 'Tokens in/out']));
      expect(await page.locator('.history-scroll .history-row >> nth=0').textContent()).toMatch(/\d+ \/ /);
      // The page itself never scrolls sideways; the table does when the columns need the room.
      expect(await page.evaluate("document.querySelector('.content').scrollWidth <= document.querySelector('.content').clientWidth + 1")).toBe(true);
      await page.reload();
      await page.waitForSelector('.history-scroll .history-row');
      expect(await headers()).toEqual(expect.arrayContaining(['Dialect', 'Tokens in/out']));
      await page.click('button:has-text("Columns")');
      await page.getByRole('menuitemcheckbox', { name: 'Dialect' }).click();
      await page.keyboard.press('Escape');
      await expect.poll(headers).not.toContain('Dialect');
    } finally {
      await page.setViewportSize({ width: 1100, height: 720 });
    }
  });
});

describe('usage', () => {
  it('keeps its controls in place while the view changes, and shows an hourly view for the last day', async () => {
    await page.goto(`${demo.url}#/usage`);
    await page.waitForSelector('.chart');
    const groupBy = page.locator('select[aria-label="Group by"]');
    const before = await groupBy.boundingBox();
    await page.selectOption('select[aria-label="Time range"]', '24h');
    await page.waitForSelector('.usage-chart-panel h2:has-text("per hour")');
    expect(await groupBy.boundingBox()).toEqual(before);
    await page.selectOption('select[aria-label="Group by"]', 'provider');
    await page.waitForSelector('.usage-chart-panel h2:has-text("by provider")');
    expect(await groupBy.boundingBox()).toEqual(before);
    await page.click('button[role="radio"]:has-text("Tokens")');
    expect(await groupBy.boundingBox()).toEqual(before);
    // 24 hourly columns, each answering the pointer.
    expect(await page.locator('.chart .column').count()).toBe(24);
  });

  it('shows a period\'s values on hover and with the arrow keys', async () => {
    await page.click('button[role="radio"]:has-text("Requests")');
    await page.locator('.chart .column').nth(23).hover();
    const readout = page.locator('.chart-readout');
    await readout.waitFor();
    expect(await readout.textContent()).toMatch(/\d\d:00–\d\d:00/);
    expect(await readout.locator('.readout-row').count()).toBeGreaterThan(0);
    await page.mouse.move(5, 5);
    await readout.waitFor({ state: 'detached' });
    await page.focus('.chart-plot');
    await page.keyboard.press('End');
    await readout.waitFor();
    const last = await readout.textContent();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => readout.textContent()).not.toBe(last);
  });

  it('files refused requests under words that say so, never "(none)", one dimension at a time', async () => {
    await page.selectOption('select[aria-label="Time range"]', '30d');
    await page.selectOption('select[aria-label="Group by"]', 'provider');
    await page.waitForSelector('table.table td:has-text("refused before routing")');
    expect(await page.locator('text=(none)').count()).toBe(0);
    await page.selectOption('select[aria-label="Group by"]', 'requested');
    // Both tables (the breakdown and latency) keep the previous report on screen until the
    // regrouped one arrives, under that report's own column title: once every title says the new
    // grouping, every row is keyed by it (the latency table once put the new title over old rows).
    const grouped = 'table.table[aria-label$="by group"]';
    const groupColumns = () => page.locator(`${grouped} thead th:first-child`).allTextContents();
    const firstCells = () => page.locator(`${grouped} tbody tr td:first-child`).allTextContents();
    const titledAll = async (title: string) => {
      const titles = await groupColumns();
      return titles.length === 2 && titles.every((shown) => shown === title);
    };
    await expect.poll(() => titledAll('Model asked for')).toBe(true);
    const keys = await firstCells();
    // The names tools asked for, never an upstream provider/model among them.
    expect(keys).toContain('gpt-4o');
    expect(keys.some((key) => key.includes('/'))).toBe(false);
    await page.selectOption('select[aria-label="Group by"]', 'upstream');
    await expect.poll(() => titledAll('Provider/model that answered')).toBe(true);
    expect(await firstCells()).toContain('openai/gpt-4o-2024-11-20');
  });
});

describe('history at scale', () => {
  it('keeps 100k rows virtualized and scrolls to the end by keyboard', async () => {
    const big = await startDemoServer({ historyRows: 100_000 });
    // The page holds the dashboard's event stream open: it is closed before the server, which
    // waits for open connections, so a failed step reports its own error instead of a hang.
    const bigPage = await context.newPage();
    try {
      await bigPage.goto(`${big.url}#token=${big.token}`);
      await bigPage.goto(`${big.url}#/history`);
      await bigPage.waitForSelector('.history-scroll .history-row');
      await bigPage.waitForSelector('text=100,000 requests');
      expect(await bigPage.locator('.history-scroll .history-row').count()).toBeLessThan(80);
      await bigPage.focus('.history-scroll');
      for (let i = 0; i < 5; i++) await bigPage.keyboard.press('End');
      // The keys scrolled the list (no duration asserted: a loaded machine may take its time),
      // and still only the rows in view are rendered.
      await expect.poll(() => bigPage.$eval('.history-scroll', (el) => el.scrollTop), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(async () => bigPage.locator('.history-scroll .history-row').count(), { timeout: 15_000 }).toBeLessThan(80);
    } finally {
      await bigPage.close();
      await big.app.close();
    }
  });
});
