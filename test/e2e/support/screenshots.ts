import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const PAGES = ['overview', 'providers', 'models', 'clients', 'history', 'usage', 'connect', 'settings'] as const;

/** Visits every page in light and dark and writes `<dir>/<page>-<theme>.png`. */
export async function screenshotEveryPage(page: Page, baseUrl: string, dir: string, prepare?: (name: (typeof PAGES)[number]) => Promise<void>): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const name of PAGES) {
      await page.goto(`${baseUrl}#/${name}`);
      await page.waitForSelector(`a[aria-current="page"][href="#/${name}"]`);
      // Locators, not string predicates: polling a string is an eval, which the page's CSP refuses.
      await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
      // Not 'networkidle': the live event stream keeps a request open for good.
      await page.locator('.loading').first().waitFor({ state: 'detached' });
      if (prepare) await prepare(name);
      await page.waitForTimeout(150);
      const file = `${dir}/${name}-${theme}.png`;
      await page.screenshot({ path: file });
      written.push(file);
    }
  }
  return written;
}

/**
 * Where the demo pages' screenshots go: an ignored folder on every run (so `npm test` leaves the
 * checkout clean), the README's own folder only when asked (`npm run screenshots`, which sets
 * UPDATE_SCREENSHOTS=1).
 */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../../docs/screenshots' : '../../../test-results/screenshots', import.meta.url),
);
