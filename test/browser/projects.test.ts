import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, releaseAppDir, settled } from '@berth/testing/deployments';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { screenshots, signedInPage, widths } from '@berth/testing/browser';
import { instanceContainers, startStack, testToken, type Stack } from '@berth/testing/stack';

// A git project driven from the dashboard as a person would: deploy, releases, promote, roll back, env, domains.
let stack: Stack;
let git: GitServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  git = await startGitServer();
  // Few streams per token, so the test can take them all (the dashboard must wait for a free one).
  stack = await startStack({ env: { DRAIN_MS: '1000', HEALTHCHECK_TIMEOUT_MS: '20000', MAX_EVENT_STREAMS_PER_TOKEN: '4' } });
  ({ browser, context, page } = await signedInPage(stack.apiUrl, testToken));
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
  await git?.stop();
  if (stack) expect(await instanceContainers(stack.instance)).toEqual([]);
});

const releases = () => page.getByRole('list', { name: 'Releases' }).getByRole('listitem');
const release = (id: string) => releases().filter({ hasText: id });
const servingId = async () => (await releases().filter({ hasText: 'serves the URL' }).getByRole('link').first().textContent()) ?? '';

/** Clicks Deploy on the project page, waits for the new release to run; returns its id. */
async function deployFromPage(): Promise<string> {
  await page.getByRole('button', { name: 'Deploy' }).click();
  await page.waitForURL(/#\/deployments\/[a-z0-9]+$/);
  const id = new URL(page.url()).hash.split('/').at(-1)!;
  await expect.poll(() => page.getByLabel('Status: running').count(), { timeout: 120_000 }).toBe(1);
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: 'shop', exact: true }).click();
  return id;
}

/** A running preview release of shop (promote: false), made through the API; returns its id. */
async function runningPreview(): Promise<string> {
  const res = await callApi(stack, 'POST', '/api/projects/shop/deployments', { promote: false });
  expect(res.status).toBe(202);
  expect((await settled(stack, res.body.id, 120_000)).status).toBe('running');
  return res.body.id;
}

/** Opens event streams with the test token until the API refuses one (429); returns their aborters. */
async function takeEveryStream(): Promise<AbortController[]> {
  const held: AbortController[] = [];
  for (let refused = 0; refused < 2 && held.length < 20; ) {
    const abort = new AbortController();
    const res = await fetch(`${stack.apiUrl}/api/events`, { headers: { authorization: `Bearer ${testToken}` }, signal: abort.signal });
    if (res.status === 429) {
      await res.body?.cancel();
      refused += 1;
      // A stream the page just closed may free its slot a moment later: look once more.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } else {
      expect(res.status).toBe(200);
      held.push(abort);
    }
  }
  return held;
}

describe('projects in the dashboard', () => {
  it('lists projects, deploys a git project, shows its releases newest first, promotes a preview and rolls back', async () => {
    const url = git.publish('shop', releaseAppDir('v1'));
    expect((await callApi(stack, 'POST', '/api/projects', { name: 'shop', gitUrl: url, ref: 'main', healthPath: '/healthz' })).status).toBe(201);

    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    const row = page.getByRole('list', { name: 'Projects', exact: true }).getByRole('listitem').filter({ hasText: 'shop' });
    await expect.poll(() => row.getByText('no release serves it').count()).toBe(1);
    expect(await row.getByRole('link', { name: /^http:\/\/shop\.localhost/ }).count()).toBe(1);
    await row.getByRole('link', { name: 'shop', exact: true }).click();
    await expect.poll(() => page.getByText('No releases yet.').count()).toBe(1);

    const first = await deployFromPage();
    await expect.poll(servingId, { timeout: 30_000 }).toBe(first);
    git.push('shop', releaseAppDir('v2'), 'main');
    const second = await deployFromPage();
    await expect.poll(servingId, { timeout: 30_000 }).toBe(second);
    // Newest first.
    expect(await releases().first().textContent()).toContain(second);
    expect(await release(first).getByLabel('Status: running').count() + (await release(first).getByLabel('Status: stopped').count())).toBe(1);

    // A preview (promote: false) runs beside the current release until someone promotes it.
    const preview = await runningPreview();
    await expect.poll(() => release(preview).getByText('preview').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: `Promote ${preview}` }).click();
    await expect.poll(servingId, { timeout: 30_000 }).toBe(preview);
    await screenshots(page, 'project');

    // A deployment's own page learns of a promotion made elsewhere (the CLI, another tab): no stale Promote button.
    const other = await runningPreview();
    await release(other).getByRole('link', { name: other }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Promote' }).count(), { timeout: 30_000 }).toBe(1);
    expect((await callApi(stack, 'POST', `/api/deployments/${other}/promote`)).status).toBe(200);
    await expect.poll(() => page.getByRole('button', { name: 'Promote' }).count(), { timeout: 30_000 }).toBe(0);
    expect(await page.getByText('(serves this deployment)').count()).toBe(1);
    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    await expect.poll(servingId, { timeout: 30_000 }).toBe(other);

    // Roll back to the first release: a new release runs its image and takes the URL.
    await expect.poll(() => release(first).getByRole('button', { name: `Roll back to ${first}` }).count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: `Roll back to ${first}` }).click();
    await expect.poll(async () => {
      const id = await servingId();
      return id === first || (await release(id).getByText(`rollback to ${first}`).count()) === 1;
    }, { timeout: 120_000 }).toBe(true);

    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    await expect.poll(() => row.getByLabel('Status: running').count(), { timeout: 30_000 }).toBe(1);
    await screenshots(page, 'projects');
  }, 400_000);

  it('sets and unsets env values (never shown back), adds and removes a domain, searches the logs; refusals are shown', async () => {
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    const env = page.getByRole('list', { name: 'Environment variables' });
    await page.getByLabel('Variable name').fill('API_SECRET');
    await page.getByLabel('Value').fill('very-secret-value-42');
    await page.getByRole('button', { name: 'Set variable' }).click();
    await expect.poll(() => env.getByText('API_SECRET').count()).toBe(1);
    expect(await page.content()).not.toContain('very-secret-value-42');
    expect((await callApi(stack, 'GET', '/api/projects/shop/env')).body.envKeys).toContain('API_SECRET');
    await page.getByRole('button', { name: 'Unset API_SECRET' }).click();
    await expect.poll(() => env.getByText('API_SECRET').count()).toBe(0);
    expect((await callApi(stack, 'GET', '/api/projects/shop/env')).body.envKeys).not.toContain('API_SECRET');

    const domains = page.getByRole('list', { name: 'Domains' });
    await page.getByLabel('Hostname').fill('not a host name');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBe(1);
    await page.getByLabel('Hostname').fill('shop.example.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await expect.poll(() => domains.getByRole('link', { name: 'shop.example.test' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await screenshots(page, 'project-settings');
    await page.getByRole('button', { name: 'Remove shop.example.test' }).click();
    await expect.poll(() => domains.getByRole('link').count()).toBe(0);
    expect((await callApi(stack, 'GET', '/api/projects/shop/domains')).body.items).toEqual([]);

    // Log search over every release: a pattern Postgres refuses is shown; a search finds the app's own lines, any case.
    const search = page.getByRole('search', { name: 'Search logs' });
    await search.getByLabel('Text').fill('(unclosed');
    await search.getByLabel('Regular expression').check();
    await search.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('INVALID_LOG_QUERY');
    await search.getByLabel('Regular expression').uncheck();
    await search.getByLabel('Text').fill('RELEASE V2 STARTING');
    await search.getByRole('button', { name: 'Search' }).click();
    const found = page.getByRole('list', { name: 'Matching log lines' }).getByRole('listitem');
    await expect.poll(() => found.count()).toBeGreaterThan(0);
    expect(await found.first().textContent()).toContain('release v2 starting');
    expect(await page.getByRole('alert').count()).toBe(0);
    await found.first().scrollIntoViewIfNeeded();
    await screenshots(page, 'project-log-search');
  }, 60_000);

  it('waits for a free stream slot (429) with a visible note instead of failing, then goes live', async () => {
    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    // Signed out, the page holds no stream; the test takes them all, then signs in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    const held = await takeEveryStream();
    try {
      await page.getByLabel('API token').fill(testToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByText('waiting for a free stream slot').count(), { timeout: 30_000 }).toBe(1);
      expect(await page.getByRole('alert').count()).toBe(0);
      await screenshots(page, 'projects-waiting');
    } finally {
      for (const abort of held) abort.abort();
    }
    await expect.poll(() => page.getByText('waiting for a free stream slot').count(), { timeout: 30_000 }).toBe(0);
    // Live again: a status change shows without a reload.
    const preview = await runningPreview();
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    await expect.poll(() => release(preview).getByLabel('Status: running').count(), { timeout: 30_000 }).toBe(1);
    expect((await callApi(stack, 'DELETE', `/api/deployments/${preview}`)).status).toBe(200);
    await expect.poll(() => release(preview).getByLabel('Status: stopped').count(), { timeout: 30_000 }).toBe(1);
  }, 180_000);

  it('on a phone the header keeps Sign out beside the brand; keyboard focus is visible', async () => {
    await page.setViewportSize(widths.phone);
    try {
      const brand = await page.getByRole('link', { name: 'Berth' }).boundingBox();
      const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
      expect(Math.abs(brand!.y + brand!.height / 2 - (signOut!.y + signOut!.height / 2))).toBeLessThan(8);
      expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(widths.phone.width);
      const nav = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
      expect(nav!.y).toBeGreaterThan(signOut!.y);
      // Every control reached by Tab shows a focus ring.
      await page.locator('body').focus();
      for (let i = 0; i < 8; i += 1) {
        await page.keyboard.press('Tab');
        // (A string: the test's own type-check has no DOM library.)
        const outline = await page.evaluate<string>(
          '(() => { const el = document.activeElement, s = getComputedStyle(el); return el.tagName + " " + s.outlineStyle + " " + s.outlineWidth; })()',
        );
        expect(outline, outline).toMatch(/ solid 3px$/);
      }
    } finally {
      await page.setViewportSize(widths.desktop);
    }
  });

  it('shows an unknown project as the API refuses it', async () => {
    await page.goto(`${stack.apiUrl}/#/projects/no-such-project`);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('NOT_FOUND');
  });
});
