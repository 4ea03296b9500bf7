import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadedLog, launchBrowser, longTaskObserver, longTasks, screenshots, widths } from '@berth/testing/browser';
import { logWriter } from '@berth/testing/log-writer';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment } from '@berth/testing/deployments';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let writer: Awaited<ReturnType<typeof logWriter>>;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: widths.desktop });
  await context.addInitScript(longTaskObserver);
  page = await context.newPage();
  writer = await logWriter(stack);
}, 120_000);
afterAll(async () => {
  await writer?.close();
  await context?.close();
  await browser?.close();
  await stack?.close();
});

/** Build output as a terminal gets it: some lines coloured, some redrawn with \r progress before their final text. */
function buildLine(i: number): string {
  if (i % 10 === 0) return `\x1b[33mprogress\x1b[0m ${i % 100}%\rline ${i}`;
  if (i % 7 === 0) return `\x1b[1;32mline ${i}\x1b[0m`;
  return `line ${i}`;
}

/** Writes lines from..to at `perSecond`, in batches every 100 ms (as a build's output arrives). */
async function writeAt(from: number, to: number, perSecond: number): Promise<void> {
  const perBatch = perSecond / 10;
  const started = Date.now();
  for (let i = from, batch = 0; i <= to; batch++) {
    for (const end = Math.min(to, i + perBatch - 1); i <= end; i++) writer.sink.write('build', buildLine(i));
    await writer.sink.flush();
    const wait = started + (batch + 1) * 100 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

const lineCount = (n: number) => page.getByText(`${n} lines`, { exact: true });

describe('the live log view in Chromium', () => {
  it('keeps up with 50,000 lines at 5,000 lines/s (\\r progress, colours) with no long task, across a network drop and a reload, each line once and in order', async () => {
    await page.goto(`${stack.apiUrl}/`);
    await page.getByLabel('API token').fill(testToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Deployments' }).waitFor();
    await page.goto(`${stack.apiUrl}/#/deployments/${writer.id}`);
    await page.getByRole('log', { name: 'Log lines' }).waitFor();

    await writeAt(1, 20_000, 5000);
    await expect.poll(() => lineCount(20_000).count(), { timeout: 30_000 }).toBe(1);

    // A network drop: the browser goes offline and its open connections are cut (going offline
    // alone leaves an established stream flowing); the page says so, and resumes with Last-Event-ID.
    await context.setOffline(true);
    stack.api.server.closeAllConnections();
    await expect.poll(() => page.getByText('reconnecting…').count(), { timeout: 15_000 }).toBe(1);
    await writeAt(20_001, 30_000, 5000);
    await context.setOffline(false);
    await writeAt(30_001, 40_000, 5000);
    await expect.poll(() => lineCount(40_000).count(), { timeout: 30_000 }).toBe(1);
    const beforeReload = await longTasks(page);

    // A reload mid-build: the view replays from storage and goes on live.
    await page.reload();
    const live = writeAt(40_001, 50_000, 5000);
    await page.getByRole('log', { name: 'Log lines' }).waitFor();
    await live;
    await expect.poll(() => lineCount(50_000).count(), { timeout: 30_000 }).toBe(1);
    const afterReload = await longTasks(page);
    expect(Math.max(0, ...beforeReload, ...afterReload), `long tasks: ${[...beforeReload, ...afterReload].join(', ')}`).toBeLessThan(200);

    // Exactly line 1 .. line 50000: none lost, none doubled, \r progress shown as its final state, colours stripped in the text.
    const lines = await downloadedLog(page);
    expect(lines.length).toBe(50_000);
    expect(lines.every((l, i) => l === `line ${i + 1}`)).toBe(true);

    // Colours are rendered, not printed as escapes.
    const text = await page.getByRole('log', { name: 'Log lines' }).textContent();
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('[0m');
    expect(await page.locator('[role="log"] .bold.fg-2').count()).toBeGreaterThan(0);

    // Following until paused; a paused view stays where the reader is.
    await page.getByRole('button', { name: 'Follow', pressed: true }).click();
    await page.getByRole('button', { name: 'Follow', pressed: false }).waitFor();
    await page.getByLabel('Search log').fill('line 4999');
    await expect.poll(() => page.getByText('11 of 50000 lines').count()).toBe(1);
    await page.getByLabel('Search log').fill('');

    await writer.finish();
    await expect.poll(() => page.getByLabel('Status: failed').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('BUILD_FAILED: done');
    await screenshots(page, 'deployment-long-log');
  }, 240_000);

  it('opens a stored log of 100,000 lines, scrolls to its top and bottom by keyboard and searches it, with no long task over 200 ms', async () => {
    const big = await logWriter(stack);
    try {
      // Stored fast (not at a build's pace): the view's work is the replay, not the wait.
      for (let i = 1; i <= 100_000; i++) {
        big.sink.write('build', buildLine(i));
        if (i % 5000 === 0) await big.sink.flush();
      }
      await big.finish();
      await page.goto(`${stack.apiUrl}/#/deployments/${big.id}`);
      // Signed in (the first case does it through the form; this one may run alone).
      await page.evaluate((token) => sessionStorage.setItem('berth.token', token), testToken);
      await page.reload(); // a fresh page: its long-task record starts here
      const log = page.getByRole('log', { name: 'Log lines' });
      await expect.poll(() => lineCount(100_000).count(), { timeout: 90_000, interval: 500 }).toBe(1);
      await expect.poll(() => log.getByText('line 100000', { exact: true }).isVisible()).toBe(true);

      await log.focus();
      await page.keyboard.press('Home');
      await expect.poll(() => log.getByText('line 1', { exact: true }).isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Follow', pressed: false }).count()).toBe(1);
      await page.keyboard.press('End');
      await expect.poll(() => log.getByText('line 100000', { exact: true }).isVisible()).toBe(true);

      await page.getByLabel('Search log').fill('line 9999');
      await expect.poll(() => page.getByText('11 of 100000 lines').count()).toBe(1);
      await page.getByLabel('Search log').fill('');
      await expect.poll(() => lineCount(100_000).count()).toBe(1);
      const tasks = await longTasks(page);
      expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')}`).toBeLessThan(200);
      // The replay came in several responses (segmentBytes); each one's repeated current status is shown once.
      const statuses = await page.getByRole('list', { name: 'Status timeline' }).getByRole('listitem').allTextContents();
      expect(statuses.filter((s, i) => i > 0 && s === statuses[i - 1]), statuses.join(' | ')).toEqual([]);
    } finally {
      await big.close();
    }
  }, 180_000);

  it('stays responsive while a real build prints 50,000 lines with \\r progress, and shows each once, in order', async () => {
    // A Dockerfile RUN step that redraws a progress line before every row (the worker keeps a line's final state).
    const dockerfile = [
      'FROM berth/node:24',
      'WORKDIR /app',
      'COPY . /app/',
      `RUN node -e "for (let i = 1; i <= 50000; i++) process.stdout.write('progress ' + (i % 100) + '%\\rrow ' + i + '\\n')"`,
      'CMD ["node", "/app/server.js"]',
    ].join('\n');
    const archive = await zipTestApp('hello', { Dockerfile: dockerfile, 'nonce.txt': String(Math.random()) });
    const created = await createDeployment(stack, { archive, filename: 'rows.zip', fields: { name: 'rows' } });
    await page.goto(`${stack.apiUrl}/#/deployments/${created.id}`);
    await page.reload(); // a fresh page: its long-task record starts here
    await page.getByRole('log', { name: 'Log lines' }).waitFor();
    await expect.poll(() => page.getByLabel('Status: running').count(), { timeout: 150_000, interval: 1000 }).toBe(1);
    const tasks = await longTasks(page);
    expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')}`).toBeLessThan(200);
    const rows = (await downloadedLog(page)).filter((l) => /^row \d+$/.test(l));
    expect(rows.length).toBe(50_000);
    expect(rows.every((l, i) => l === `row ${i + 1}`)).toBe(true);
  }, 240_000);
});
