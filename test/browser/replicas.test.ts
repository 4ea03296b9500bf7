import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentStatus } from '@berth/shared/deployment-state';
import { screenshots, signedInPage } from '@berth/testing/browser';
import { deploymentIn, storedReplicas } from '@berth/testing/replicas';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

// The replicas controls as a person uses them, against a real API in swarm mode (SWARM_MAX_REPLICAS=5).
// No worker: the rows are made here; what is checked is what the page sends, shows and refuses.
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let current: string;
let stopped: string;

const deployment = (project: string, status: DeploymentStatus, current = false) => deploymentIn(stack, project, status, { current, image: true });
const stored = (id: string) => storedReplicas(stack, id);
// What the page shows after a navigation or a click: expect.poll's default second is too short on a busy machine.
const rendered = { timeout: 15_000 };
const projectReplicas = async () =>
  (await stack.db.db.selectFrom('projects').select('replicas').where('name', '=', 'shop').executeTakeFirstOrThrow()).replicas;

beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { BERTH_RUNTIME: 'swarm', SWARM_MAX_REPLICAS: '5' } });
  current = await deployment('shop', 'running', true);
  stopped = await deployment('shop', 'stopped');
  ({ browser, context, page } = await signedInPage(stack.apiUrl, testToken));
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('replicas in the dashboard', () => {
  it('the project settings scale the project and its current release; a refusal is shown as the API says it', async () => {
    await page.goto(`${stack.apiUrl}/#/projects/shop`);
    const form = page.getByRole('form', { name: 'Replicas of shop' });
    const input = form.getByLabel('Replicas');
    await expect.poll(() => input.inputValue(), rendered).toBe('1');
    await input.fill('3');
    await form.getByRole('button', { name: 'Scale' }).click();
    await expect.poll(() => projectReplicas(), rendered).toBe(3);
    expect(await stored(current)).toBe(3);
    expect(await stored(stopped)).toBe(1);
    await page.reload(); // the release list shows the count of each release that runs more than one
    await expect.poll(() => page.getByRole('list', { name: 'Releases' }).getByRole('listitem').filter({ hasText: current }).textContent(), rendered).toContain('3 replicas');
    await screenshots(page, 'project-replicas');

    await input.fill('9');
    await form.getByRole('button', { name: 'Scale' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), rendered).toContain('INVALID_REPLICAS');
    expect(await projectReplicas()).toBe(3);
  }, 60_000);

  it('a live deployment page shows its replicas and scales it; a stopped one offers no control', async () => {
    await page.goto(`${stack.apiUrl}/#/deployments/${current}`);
    const form = page.getByRole('form', { name: `Replicas of ${current}` });
    const input = form.getByLabel('Replicas');
    await expect.poll(() => input.inputValue(), rendered).toBe('3');
    // Typed again while the page re-renders the form with the stored count (seen in a cold run: the form was
    // remounted after the fill, its draft back to 3 and Scale disabled); then the click.
    await expect.poll(async () => (await input.fill('2'), form.getByRole('button', { name: 'Scale' }).isEnabled()), rendered).toBe(true);
    await form.getByRole('button', { name: 'Scale' }).click();
    await expect.poll(() => stored(current), rendered).toBe(2);
    await expect.poll(() => form.getByRole('button', { name: 'Scale' }).isDisabled(), rendered).toBe(true);
    await screenshots(page, 'deployment-replicas');

    await page.goto(`${stack.apiUrl}/#/deployments/${stopped}`);
    await page.getByLabel('Status: stopped').first().waitFor();
    expect(await page.getByRole('form', { name: `Replicas of ${stopped}` }).count()).toBe(0);
  }, 60_000);
});
