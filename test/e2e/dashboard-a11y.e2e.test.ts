/**
 * Keyboard and contrast behaviour of the dashboard's dialogs, confirmations and navigation in a
 * real browser (demo data over the real HTTP transport): focus stays in an open sheet, Escape
 * closes it and focus returns, destructive confirmations stay readable under the mouse in both
 * themes, icon-only navigation names each page in a tooltip.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { contrastRatio } from './support/contrast.ts';
import { startDemoServer } from './support/demo-server.ts';
import { collectPageErrors } from './support/page-errors.ts';

let browser: Browser;
let page: Page;
let demo: Awaited<ReturnType<typeof startDemoServer>>;
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  demo = await startDemoServer({ historyRows: 60 });
  page = await (await browser.newContext({ viewport: { width: 1100, height: 720 } })).newPage();
  errors = collectPageErrors(page);
  await page.goto(`${demo.url}#token=${demo.token}`);
  await page.waitForSelector('h1:has-text("Overview")');
});

afterAll(async () => {
  await browser?.close();
  await demo?.app.close();
});

/** Where keyboard focus is: inside the open dialog, or the accessible name of what has it. */
const focusInDialog = () => page.evaluate("!!document.activeElement && !!document.activeElement.closest('[role=dialog]')");

describe('the add-provider sheet', () => {
  it('is a labelled modal dialog that keeps keyboard focus inside, closes on Escape and returns focus', async () => {
    await page.goto(`${demo.url}#/providers`);
    const opener = page.locator('.page-header button:has-text("Add provider")');
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Add a provider' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).not.toBe('false');
    expect(await focusInDialog()).toBe(true);
    // More Tab presses than the sheet has controls: focus must wrap inside, never reach the page.
    const controls = await dialog.locator('button, input, select, a[href]').count();
    for (let i = 0; i < controls + 5; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInDialog()).toBe(true);
    }
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInDialog()).toBe(true);
    }
    // The page behind is hidden from assistive tech while the sheet is open.
    expect(await page.getByRole('heading', { name: 'Providers', level: 1 }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus goes back to the opener as the dialog finishes closing, not necessarily in the same
    // frame as its removal (read at once, it was sometimes still on the page in the clean-clone CI).
    await expect.poll(() => page.evaluate("document.activeElement && document.activeElement.textContent")).toBe('Add provider');
    expect(await page.getByRole('heading', { name: 'Providers', level: 1 }).count()).toBe(1);
  });
});

describe('destructive confirmations', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`stay readable under the mouse (${theme})`, async () => {
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(`${demo.url}#/clients`);
      await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
      await page.click('button[aria-label="Revoke aider"]');
      const confirm = page.getByRole('alertdialog', { name: 'Revoke aider?' });
      await confirm.waitFor();
      // Focus starts on Cancel: Enter alone never destroys anything.
      // (moved there as the dialog mounts: polled, like the focus return above)
      await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Cancel');
      const action = confirm.getByRole('button', { name: 'Revoke token' });
      for (const state of ['rest', 'hover'] as const) {
        if (state === 'hover') await action.hover();
        const colors = await action.evaluate((element) => {
          // The root tsconfig has no DOM types; the callback runs in the page.
          const style = (globalThis as unknown as { getComputedStyle(e: unknown): { color: string; backgroundColor: string } }).getComputedStyle(element);
          return { color: style.color, background: style.backgroundColor };
        });
        expect(contrastRatio(colors.color, colors.background), `${theme} ${state}: ${colors.color} on ${colors.background}`).toBeGreaterThanOrEqual(4.5);
      }
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      expect(demo.fake.state.tokens.find((token) => token.name === 'aider')?.revokedAt).toBeNull();
    });
  }
});

describe('icon-only navigation', () => {
  it('names each page in a tooltip on hover and on keyboard focus', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 760, height: 560 });
    try {
      await page.goto(`${demo.url}#/overview`);
      await page.hover('.sidebar a[href="#/history"]');
      await expect.poll(() => page.getByRole('tooltip').textContent()).toBe('History');
      await page.mouse.move(600, 400, { steps: 8 });
      await page.getByRole('tooltip').waitFor({ state: 'detached' });
      await page.focus('.sidebar a[href="#/usage"]');
      await expect.poll(() => page.getByRole('tooltip').textContent()).toBe('Usage');
    } finally {
      await page.setViewportSize({ width: 1100, height: 720 });
    }
  });

  it('shows no tooltip where the labels are visible', async () => {
    await page.goto(`${demo.url}#/overview`);
    await page.hover('.sidebar a[href="#/history"]');
    await page.waitForTimeout(600);
    expect(await page.getByRole('tooltip').count()).toBe(0);
  });

  it('raised no console errors or CSP violations', () => {
    expect(errors).toEqual([]);
  });
});
