import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { dashboardDistDir } from '@berth/dashboard/dist-dir';

/** Debian's Chromium (apt, installed by the test set-up), never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(path.join(dashboardDistDir, 'index.html'))) {
    throw new Error('the dashboard is not built: run npm run build (npm test does)');
  }
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export const widths = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/** A desktop-width page of the dashboard at `apiUrl`, signed in with `token` (on the Deployments page). */
export async function signedInPage(apiUrl: string, token: string): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: widths.desktop });
  const page = await context.newPage();
  await page.goto(`${apiUrl}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Deployments' }).waitFor();
  return { browser, context, page };
}

/** Saves the page at desktop and phone width, light and dark, under $BERTH_STATE_DIR/screenshots/ (`fullPage`: all of it, not the viewport). */
export async function screenshots(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const dir = path.join(process.env.BERTH_STATE_DIR ?? '.berth', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [label, size] of Object.entries(widths)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: path.join(dir, `${name}-${label}-${scheme}.png`), fullPage: options.fullPage ?? false });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (original) await page.setViewportSize(original);
}

/** Records long tasks (over 50 ms) in the page, from its first script on. */
export const longTaskObserver = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
`;

export function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (globalThis as unknown as { __longTasks: number[] }).__longTasks);
}

/** Every log line the page holds, as its "Download log" button saves them. */
export async function downloadedLog(page: Page): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download log' }).click()]);
  const stream = await download.createReadStream();
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text.split('\n').filter((l) => l !== '');
}
