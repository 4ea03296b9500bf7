import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { downloadedLog, launchBrowser, screenshots, widths } from '@berth/testing/browser';
import { instanceContainers, startStack, testToken, type Stack } from '@berth/testing/stack';

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: widths.desktop });
  page = await context.newPage();
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
  if (stack) expect(await instanceContainers(stack.instance)).toEqual([]);
});

/** Uploads an archive through the form's file input and lands on the new deployment's page; returns its id. */
async function deployThroughForm(name: string, archive: Buffer, env = ''): Promise<string> {
  await page.getByRole('link', { name: 'New deployment' }).click();
  await page.getByLabel('Archive (.zip or .tar.gz)').setInputFiles({ name: `${name}.zip`, mimeType: 'application/zip', buffer: archive });
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (env) await page.getByLabel(/^Environment/).fill(env);
  await page.getByRole('button', { name: 'Deploy' }).click();
  await page.waitForURL(/#\/deployments\/[a-z0-9]+$/);
  return new URL(page.url()).hash.split('/').at(-1)!;
}

describe('the dashboard in Chromium', () => {
  it('signs in with an API token (a wrong one is refused), kept in session storage, never in the URL', async () => {
    await page.goto(`${stack.apiUrl}/`);
    const field = page.getByLabel('API token');
    await expect.poll(() => field.isVisible()).toBe(true);
    await screenshots(page, 'sign-in');
    await field.fill('berth_wrong_token_000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('UNAUTHORIZED');
    await field.fill(testToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Deployments' }).isVisible()).toBe(true);
    expect(page.url()).not.toContain(testToken);
    expect(await page.evaluate(() => sessionStorage.getItem('berth.token'))).toBe(testToken);
  });

  it('deploys a zip through the file input, shows the build live and in order, reaches running, opens the app', async () => {
    const nonce = { 'nonce.txt': String(Math.random()) };
    await page.getByRole('link', { name: 'New deployment' }).click();
    await screenshots(page, 'new-deployment');
    const id = await deployThroughForm('hello-dash', await zipTestApp('hello', nonce), 'GREETING=from-the-dashboard');
    const log = page.getByRole('log', { name: 'Log lines' });
    await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain('build step: hello from the Dockerfile');
    await expect.poll(() => page.getByLabel('Status: running').count(), { timeout: 90_000 }).toBe(1);
    // Env values are never shown back, only their names.
    expect(await page.content()).not.toContain('from-the-dashboard');
    expect(await page.getByText('GREETING').count()).toBeGreaterThan(0);
    // The log holds each line once, in the order the API numbered them.
    const lines = await downloadedLog(page);
    // (The step's RUN line quotes it too; count the output line.)
    expect(lines.filter((l) => l.includes('build step: hello from the Dockerfile') && !l.includes('RUN'))).toHaveLength(1);
    const timeline = await page.getByRole('list', { name: 'Status timeline' }).textContent();
    expect(timeline).toMatch(/queued.*building.*starting.*running/s);
    await screenshots(page, 'deployment');

    // The Terminal panel (a token tab: the token goes as a subprotocol): typed into xterm.js, its output and its exit.
    await page.getByRole('button', { name: 'Open terminal' }).click();
    const terminalState = page.getByLabel('Terminal state');
    await expect.poll(() => terminalState.textContent(), { timeout: 20_000 }).toBe('connected');
    await page.locator('.terminal .xterm-helper-textarea').focus();
    await page.keyboard.type('echo "hello from $((40+2))"; exit 7\n');
    await expect.poll(() => page.locator('.terminal .xterm-rows').textContent()).toContain('hello from 42');
    await expect.poll(() => terminalState.textContent()).toBe('exited with code 7');
    await screenshots(page, 'deployment-terminal');

    const link = page.getByRole('link', { name: new RegExp(`^http://${id}\\.localhost`) });
    const [app] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await app.waitForLoadState();
    expect(await app.textContent('body')).toContain('"greeting":"from-the-dashboard"');
    await app.close();

    await page.getByRole('link', { name: 'Deployments', exact: true }).click();
    const row = page.getByRole('listitem').filter({ hasText: id });
    await expect.poll(() => row.getByLabel('Status: running').count()).toBe(1);
    expect(await row.getByRole('link', { name: new RegExp(`${id}\\.localhost`) }).count()).toBe(1);
    // Filters: by project (the API's ?project=) and by status.
    await page.getByLabel('Filter by project').fill('no-such-project');
    await page.getByLabel('Filter by project').press('Enter');
    await expect.poll(() => page.getByText('No deployments yet.').count()).toBe(1);
    await page.getByLabel('Filter by project').fill('hello-dash');
    await page.getByLabel('Filter by project').press('Enter');
    await page.getByLabel('Filter by status').selectOption('running');
    await expect.poll(() => row.getByLabel('Status: running').count()).toBe(1);
    await page.getByLabel('Filter by status').selectOption('failed');
    await expect.poll(() => row.count()).toBe(0);
    await page.getByLabel('Filter by status').selectOption('');
    await page.getByLabel('Filter by project').fill('');
    await page.getByLabel('Filter by project').press('Enter');
    await expect.poll(() => row.count()).toBe(1);
    await screenshots(page, 'deployments');
  }, 180_000);

  it('continues the log after a reload mid-build with no line missing or doubled', async () => {
    const id = await deployThroughForm('slow-reload', await zipTestApp('slow', { 'nonce.txt': String(Math.random()) }));
    const log = page.getByRole('log', { name: 'Log lines' });
    await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain('slow build starting');
    await page.reload();
    await expect.poll(() => page.getByLabel('Status: running').count(), { timeout: 90_000 }).toBe(1);
    const lines = await downloadedLog(page);
    const output = lines.filter((l) => !l.includes('RUN'));
    expect(output.filter((l) => l.includes('slow build starting'))).toHaveLength(1);
    expect(output.filter((l) => l.includes('slow build done'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('RUN echo "slow build starting"'))).toHaveLength(1);
    expect(new URL(page.url()).hash).toBe(`#/deployments/${id}`);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByLabel('Status: stopped').count(), { timeout: 30_000 }).toBe(1);
  }, 180_000);

  it('cancels a slow build and shows the error code', async () => {
    await deployThroughForm('slow-cancel', await zipTestApp('slow', { 'nonce.txt': String(Math.random()) }));
    const log = page.getByRole('log', { name: 'Log lines' });
    await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain('slow build starting');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByLabel('Status: canceled').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('CANCELED');
    await screenshots(page, 'deployment-canceled');
  }, 120_000);

  it('signs out: the token is gone from the tab', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByLabel('API token').isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('berth.token'))).toBeNull();
  });
});
